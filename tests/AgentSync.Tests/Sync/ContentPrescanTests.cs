using AgentSync.Store;
using AgentSync.Sync;
using AgentSync.Tests.Support;
using AgentSync.Workspace;

namespace AgentSync.Tests.Sync;

/// <summary>The screen's scan started while a push records the tree gives the screen exactly what its own scan gives,
/// however much of it was held back.</summary>
public sealed class ContentPrescanTests
{
    /// <param name="first">Texts scanned at once; the others when their findings are first asked for.</param>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    public async Task Screening_with_the_texts_scanned_ahead_blocks_and_clears_what_screening_alone_does(int first)
    {
        using var workspace = new TempWorkspace();
        Assert.Equal(0, (await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init")).ExitCode);
        var key = "AKIA" + "IOSFODNN7" + "REALKEY";
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-leaky.md", $"# INFRA-001: Leaky\n\naws_access_key_id = {key}\n");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-002-contact.md", "# INFRA-002: Contact\n\nAsk alice@corp-mail.net.\n");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-003-clean.md", "# INFRA-003: Clean\n\nNothing to hide.\n");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-004-same.md", "# INFRA-004: Clean\n\nNothing to hide.\n");
        await using var context = await SyncContext.OpenAsync(AgentWorkspace.At(workspace.Root), CancellationToken.None);

        ContentPrescan? prescan = null;
        var diff = await new TreeRecorder(context).RecordAsync(null, "create", CancellationToken.None,
            compared: d => prescan = ContentPrescan.Start(ContentScreen.Scanner(context.Config), d, first, CancellationToken.None));
        var candidates = (await context.Store.ChangedAsync(CancellationToken.None)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var withPrescan = new SyncReport();
        var alone = new SyncReport();
        var clearedWith = await new ContentScreen(context, prescan).ScreenAsync(candidates, withPrescan, CancellationToken.None);
        var clearedAlone = await new ContentScreen(context).ScreenAsync(candidates, alone, CancellationToken.None);

        Assert.Equal(4, diff.Changes.Count);
        Assert.NotNull(prescan);
        foreach (var candidate in candidates)
            Assert.NotNull(await prescan.FindingsAsync(candidate.ContentHash));
        Assert.Null(await prescan.FindingsAsync("0000"));
        Assert.Equal(["INFRA-003", "INFRA-004"], clearedWith.Select(a => a.Id));
        Assert.Equal(clearedAlone.Select(a => a.Id), clearedWith.Select(a => a.Id));
        Assert.Equal(alone.Errors.Select(e => e.Message), withPrescan.Errors.Select(e => e.Message));
        Assert.Contains(withPrescan.Errors, e => e.Message.Contains("INFRA-001-leaky.md:3: secret (aws-access-key)", StringComparison.Ordinal));
        Assert.Contains(withPrescan.Errors, e => e.Message.Contains("INFRA-002-contact.md:3: personal data (email)", StringComparison.Ordinal));
        Assert.DoesNotContain(withPrescan.Errors, e => e.Message.Contains(key, StringComparison.Ordinal));
    }
}
