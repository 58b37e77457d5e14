using System.Text.Json;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Cli;

public sealed class CorpusRoundTripTests
{
    // Two real collisions in the corpus: two stories each claim INFRA-040 and INFRA-123. Identity is (id, kind), so the
    // second file of each pair is refused with a message that says how to fix it, and everything else goes in.
    private static readonly string[] Duplicates =
    [
        ".agent/cache/stories/INFRA/INFRA-040-restore-silero-vad-with-webrtc-fallback.md",
        ".agent/cache/stories/INFRA/INFRA-123-refactor-core-context-and-orchestrator-modules-to-pass-loc-quality-gate.md",
    ];

    [Fact]
    public async Task The_whole_corpus_imports_and_exports_byte_for_byte()
    {
        using var workspace = new TempWorkspace(withCorpus: true);

        var init = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var export = Path.Combine(workspace.Root, "exported");
        var exported = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "export", "--dir", export);

        Assert.Equal(2, init.ExitCode);
        var errors = init.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Duplicates.Length, errors.Length);
        Assert.All(Duplicates.Zip(errors), pair => Assert.StartsWith($"error: {pair.First}: id ", pair.Second, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("give one of them a new id", e, StringComparison.Ordinal));
        Assert.Equal(0, exported.ExitCode);
        var files = Corpus.Files();
        Assert.Equal(193, files.Count);
        foreach (var file in files.Except(Duplicates))
            Assert.True(File.ReadAllBytes(Path.Combine(Corpus.AgenticDev, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(export, file))), file);
        foreach (var file in Duplicates)
            Assert.False(File.Exists(Path.Combine(export, file)));
    }

    [Fact]
    public async Task Init_twice_changes_nothing()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var before = await AgentCli.RunInProcessAsync(workspace.Root, null, "list", "--json");
        var config = workspace.Read(".agent/etc/sync.yaml");
        var ignore = workspace.Read(".agent/cache/.gitignore");

        var second = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var after = await AgentCli.RunInProcessAsync(workspace.Root, null, "list", "--json");

        Assert.Contains("already initialized", second.Out, StringComparison.Ordinal);
        Assert.Contains("imported 0 artifacts, 191 unchanged", second.Out, StringComparison.Ordinal);
        Assert.Equal(before.Out, after.Out);
        Assert.Equal(config, workspace.Read(".agent/etc/sync.yaml"));
        Assert.Equal(ignore, workspace.Read(".agent/cache/.gitignore"));
        Assert.Equal(191, JsonDocument.Parse(after.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Git_ignores_the_cache_but_sees_the_config()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        var untracked = workspace.Git("status", "--porcelain", "--untracked-files=all");

        Assert.DoesNotContain("agent.db", untracked, StringComparison.Ordinal);
        Assert.DoesNotContain("agent.lock", untracked, StringComparison.Ordinal);
        Assert.Contains(".agent/etc/sync.yaml", untracked, StringComparison.Ordinal);
        Assert.Contains(".agent/cache/stories/INFRA/INFRA-001-smart-ai-router.md", untracked, StringComparison.Ordinal);
    }
}
