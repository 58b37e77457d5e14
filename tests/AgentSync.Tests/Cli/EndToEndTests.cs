using System.Text.Json;
using AgentSync.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Cli;

/// <summary>The real <c>agent</c> executable in temporary Git repositories, as a user runs it.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Help_lists_the_commands()
    {
        var result = await AgentCli.RunAsync(Path.GetTempPath(), "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "sync", "list", "new-story", "new-plan", "new-runbook" })
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_stops_early_gets_its_lines_and_no_error()
    {
        // Piped stdout is written in blocks; `agent list | head -1` must still end quietly with exit 0, also when the
        // output is far larger than the pipe holds (2,000 lines, ~200 KB), so the agent writes after the reader left.
        using var workspace = new TempWorkspace();
        for (var i = 1; i <= 2000; i++)
            workspace.Write($".agent/cache/stories/PIPE/PIPE-{i:D4}-a-story-with-a-long-enough-title-to-fill-the-pipe.md", $"# PIPE-{i:D4}: A story with a long enough title to fill the pipe\n\n## State\n\nDRAFT\n");
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init")).ExitCode);
        var all = await AgentCli.RunAsync(workspace.Root, "list");

        using var process = AgentCli.Start(workspace.Root, null, "list");
        process.StandardInput.Close();
        var first = await process.StandardOutput.ReadLineAsync();
        process.StandardOutput.Close();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(all.Out.Split('\n').Length > 2000, all.ToString());
        Assert.Equal(all.Out.Split('\n')[0], first);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task New_artifacts_take_the_next_id_of_their_scope_across_kinds()
    {
        using var workspace = new TempWorkspace();
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init")).ExitCode);

        var first = await AgentCli.RunAsync(workspace.Root, "new-story", "INFRA", "First story");
        var plan = await AgentCli.RunAsync(workspace.Root, "new-plan", "infra", "A plan");
        var second = await AgentCli.RunAsync(workspace.Root, "new-story", "INFRA", "Second: with punctuation!");
        var web = await AgentCli.RunAsync(workspace.Root, "new-story", "WEB", "Other scope");
        var runbook = await AgentCli.RunAsync(workspace.Root, "new-runbook", "INFRA-001");

        Assert.Equal(".agent/cache/stories/INFRA/INFRA-001-first-story.md", first.Out.Trim());
        Assert.Equal(".agent/cache/plans/INFRA/INFRA-002-a-plan.md", plan.Out.Trim());
        Assert.Equal(".agent/cache/stories/INFRA/INFRA-003-second-with-punctuation.md", second.Out.Trim());
        Assert.Equal(".agent/cache/stories/WEB/WEB-001-other-scope.md", web.Out.Trim());
        Assert.Equal(".agent/cache/runbooks/INFRA/INFRA-001-runbook.md", runbook.Out.Trim());
        Assert.StartsWith("# INFRA-001: First story\n\n## State\n\nDRAFT\n", workspace.Read(first.Out.Trim()), StringComparison.Ordinal);
        Assert.Contains("## State\n\nDRAFT\n", workspace.Read(runbook.Out.Trim()), StringComparison.Ordinal);

        var list = JsonDocument.Parse((await AgentCli.RunAsync(workspace.Root, "list", "--json")).Out).RootElement;
        Assert.Equal(5, list.GetArrayLength());
        Assert.All(list.EnumerateArray(), item => Assert.Equal("DRAFT", item.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task New_ids_continue_after_the_highest_existing_one()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunAsync(workspace.Root, "sync", "init");

        var story = await AgentCli.RunAsync(workspace.Root, "new-story", "INFRA", "Next");

        Assert.Equal(".agent/cache/stories/INFRA/INFRA-1000-next.md", story.Out.Trim());
    }

    [Fact]
    public async Task A_runbook_for_a_story_that_does_not_exist_is_refused()
    {
        using var workspace = new TempWorkspace();
        await AgentCli.RunAsync(workspace.Root, "sync", "init");

        var result = await AgentCli.RunAsync(workspace.Root, "new-runbook", "INFRA-404");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: story INFRA-404 does not exist; create it with 'agent new-story' or check 'agent list --kind story'", result.Error.Trim());
        Assert.False(Directory.Exists(workspace.PathOf(".agent/cache/runbooks")));
    }

    [Fact]
    public async Task List_filters_by_kind_and_state_and_prints_the_documented_keys()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunAsync(workspace.Root, "sync", "init");

        var icebox = JsonDocument.Parse((await AgentCli.RunAsync(workspace.Root, "list", "--state", "icebox", "--json")).Out).RootElement;
        var plans = JsonDocument.Parse((await AgentCli.RunAsync(workspace.Root, "list", "--kind", "plan", "--state", "APPROVED", "--json")).Out).RootElement;

        Assert.Equal(5, icebox.GetArrayLength());
        Assert.Equal(4, plans.GetArrayLength());
        var first = icebox[0];
        Assert.Equal(["id", "kind", "title", "state", "path", "version"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("128", "story", "ICEBOX", 0), (first.GetProperty("id").GetString(), first.GetProperty("kind").GetString(), first.GetProperty("state").GetString(), first.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Status_reports_files_added_modified_and_deleted_since_recorded()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunAsync(workspace.Root, "sync", "init");
        File.AppendAllText(workspace.PathOf(".agent/cache/stories/INFRA/INFRA-001-smart-ai-router.md"), "\nmore\n");
        File.Delete(workspace.PathOf(".agent/cache/plans/INFRA/INFRA-015.md"));
        workspace.Write(".agent/cache/stories/WEB/WEB-100-new.md", "# WEB-100: New\n");

        var result = await AgentCli.RunAsync(workspace.Root, "sync", "status", "--json");
        var text = await AgentCli.RunAsync(workspace.Root, "sync", "status");

        Assert.Equal(0, result.ExitCode);
        var status = JsonDocument.Parse(result.Out).RootElement;
        foreach (var key in new[] { "artifacts", "local_changes", "remote_changes", "conflicts", "queued", "remote" })
            Assert.True(status.TryGetProperty(key, out _), key);
        Assert.Equal(191, status.GetProperty("artifacts").GetInt32());
        Assert.Equal("none", status.GetProperty("remote").GetString());
        var changes = status.GetProperty("local_changes").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString(), c.GetProperty("kind").GetString(), c.GetProperty("change").GetString()))
            .Order().ToList();
        Assert.Equal([("INFRA-001", "story", "modified"), ("INFRA-015", "plan", "deleted"), ("WEB-100", "story", "added")], changes);
        Assert.Contains("story    ACCEPTED 1, COMMITTED 156", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_takes_space_and_comma_separated_paths()
    {
        using var workspace = new TempWorkspace();
        await AgentCli.RunAsync(workspace.Root, "sync", "init");
        workspace.Write(".agent/cache/stories/A/A-001-x.md", "# A-001: X\n");
        workspace.Write(".agent/cache/stories/A/A-002-y.md", "# A-002: Y\n");
        workspace.Write(".agent/cache/stories/A/A-003-z.md", "# A-003: Z\n");
        workspace.Write(".agent/cache/stories/A/A-004-not-asked.md", "# A-004: Not asked\n");

        var result = await AgentCli.RunAsync(workspace.Root, "sync", "import", ".agent/cache/stories/A/A-001-x.md,.agent/cache/stories/A/A-002-y.md", ".agent/cache/stories/A/A-003-z.md");
        var list = await AgentCli.RunAsync(workspace.Root, "list", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["A-001", "A-002", "A-003"], JsonDocument.Parse(list.Out).RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Concurrent_processes_on_one_workspace_lose_nothing_and_never_share_an_id()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunAsync(workspace.Root, "sync", "init");

        var runs = Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? AgentCli.RunAsync(workspace.Root, "new-story", "MOBILE", $"Parallel {i}")
            : AgentCli.RunAsync(workspace.Root, "sync", "import")).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(0, r.ExitCode));
        var created = results.Where((_, i) => i % 2 == 0).Select(r => Path.GetFileName(r.Out.Trim())[..10]).Order().ToList();
        Assert.Equal(["MOBILE-002", "MOBILE-003", "MOBILE-004"], created);
        var list = JsonDocument.Parse((await AgentCli.RunAsync(workspace.Root, "list", "--kind", "story", "--json")).Out).RootElement;
        Assert.Equal(170, list.GetArrayLength());
        using var connection = new SqliteConnection($"Data Source={workspace.PathOf(".agent/cache/agent.db")}");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
    }
}
