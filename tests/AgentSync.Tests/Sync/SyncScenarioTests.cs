using System.Text.Json;
using AgentSync.Remote;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Sync;

/// <summary>
/// Developers in temporary Git repositories running the real <c>agent</c> against one remote. The same scenarios run
/// against each transport (one subclass per remote kind).
/// </summary>
public abstract class SyncScenarioTests(RemoteTarget remote)
{
    private const string Story = ".agent/cache/stories/INFRA/INFRA-001-shared-story.md";

    protected RemoteTarget Remote { get; } = remote;

    private string NewProject() => "e2e-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Alice has created and shared <see cref="Story"/>; Bob has initialized but not pulled yet.</summary>
    private async Task<(Developer Alice, Developer Bob)> SharedBeforeBobPullsAsync()
    {
        var project = NewProject();
        var alice = new Developer("alice", Remote, project);
        var bob = new Developer("bob", Remote, project);
        await alice.InitAsync();
        await bob.InitAsync();
        await alice.ExpectAsync(0, "new-story", "INFRA", "Shared story");
        return (alice, bob);
    }

    private async Task<(Developer Alice, Developer Bob)> PairWithStoryAsync()
    {
        var project = NewProject();
        var alice = new Developer("alice", Remote, project);
        var bob = new Developer("bob", Remote, project);
        await alice.InitAsync();
        var created = await alice.ExpectAsync(0, "new-story", "INFRA", "Shared story");
        Assert.Equal(Story, created.Out.Trim());
        Assert.Equal("", created.Error);
        await bob.InitAsync();
        Assert.Equal(alice.Workspace.Read(Story), bob.Workspace.Read(Story));
        return (alice, bob);
    }

    private static void Replace(Developer developer, string path, string from, string to)
    {
        var text = developer.Workspace.Read(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        developer.Workspace.Write(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_whole_corpus_pushed_by_one_arrives_byte_identical_at_another()
    {
        var project = NewProject();
        using var alice = new Developer("alice", Remote, project, withCorpus: true);
        using var bob = new Developer("bob", Remote, project);
        CorpusFixes.RenumberDuplicates(alice.Workspace);
        await alice.InitAsync();

        var push = await alice.ExpectAsync(0, "sync", "push", "--json");
        await bob.InitAsync();

        Assert.Equal(193, JsonDocument.Parse(push.Out).RootElement.GetProperty("pushed").GetArrayLength());
        Assert.Equal(alice.Files(), bob.Files());
        Assert.Equal(193, bob.Files().Count);
        var list = JsonDocument.Parse((await bob.ExpectAsync(0, "list", "--json")).Out).RootElement;
        Assert.All(list.EnumerateArray(), a => Assert.Equal(1, a.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Edits_in_different_sections_by_three_developers_merge_and_converge()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        using var carol = new Developer("carol", Remote, alice.Project);
        await carol.InitAsync();

        Replace(alice, Story, "What problem are we solving?", "Alice wrote the problem.");
        Replace(bob, Story, "How will we verify correctness?", "Bob wrote the tests.");
        Replace(carol, Story, "- [ ] Scenario 1", "- [x] Scenario 1");
        await alice.ExpectAsync(0, "sync", "push");
        var bobPush = await bob.ExpectAsync(0, "sync", "push", "--json");
        var carolPush = await carol.ExpectAsync(0, "sync", "push", "--json");
        await alice.ExpectAsync(0, "sync", "pull");
        await bob.ExpectAsync(0, "sync", "pull");

        Assert.Equal(1, JsonDocument.Parse(bobPush.Out).RootElement.GetProperty("merged").GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse(carolPush.Out).RootElement.GetProperty("merged").GetArrayLength());
        var final = alice.Workspace.Read(Story);
        Assert.Equal(final, bob.Workspace.Read(Story));
        Assert.Equal(final, carol.Workspace.Read(Story));
        Assert.Contains("Alice wrote the problem.", final, StringComparison.Ordinal);
        Assert.Contains("Bob wrote the tests.", final, StringComparison.Ordinal);
        Assert.Contains("- [x] Scenario 1", final, StringComparison.Ordinal);
        var status = JsonDocument.Parse((await carol.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal(0, status.GetProperty("remote_changes").GetArrayLength());
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());
        Assert.Equal("reachable", status.GetProperty("remote").GetString());
    }

    [Fact]
    public async Task The_same_line_edited_twice_is_a_conflict_with_markers_that_resolve_converges()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "What problem are we solving?", "Alice's problem.");
        Replace(bob, Story, "What problem are we solving?", "Bob's problem.");
        await alice.ExpectAsync(0, "sync", "push");

        var push = await bob.ExpectAsync(1, "sync", "push", "--json");

        Assert.Equal("INFRA-001", JsonDocument.Parse(push.Out).RootElement.GetProperty("conflicts")[0].GetProperty("id").GetString());
        Assert.Contains("<<<<<<< local\nBob's problem.\n=======\nAlice's problem.\n>>>>>>> remote v2 (alice@example.com)\n", bob.Workspace.Read(Story), StringComparison.Ordinal);
        var status = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal("INFRA-001", status.GetProperty("conflicts")[0].GetProperty("id").GetString());
        await bob.ExpectAsync(1, "sync", "push");
        var refused = await bob.ExpectAsync(2, "sync", "resolve", "INFRA-001");
        Assert.Contains("conflict markers remain", refused.Error, StringComparison.Ordinal);

        var text = bob.Workspace.Read(Story);
        var start = text.IndexOf("<<<<<<< local", StringComparison.Ordinal);
        var end = text.IndexOf(">>>>>>> remote v2 (alice@example.com)\n", StringComparison.Ordinal) + ">>>>>>> remote v2 (alice@example.com)\n".Length;
        bob.Workspace.Write(Story, text[..start] + "Both problems, agreed.\n" + text[end..]);
        await bob.ExpectAsync(0, "sync", "resolve", "INFRA-001");
        await bob.ExpectAsync(0, "sync", "push");
        await alice.ExpectAsync(0, "sync", "pull");

        Assert.Equal(alice.Workspace.Read(Story), bob.Workspace.Read(Story));
        Assert.Contains("Both problems, agreed.\n", alice.Workspace.Read(Story), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ours", "Bob's problem.")]
    [InlineData("--theirs", "Alice's problem.")]
    public async Task Resolve_takes_one_side(string flag, string expected)
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "What problem are we solving?", "Alice's problem.");
        Replace(bob, Story, "What problem are we solving?", "Bob's problem.");
        await alice.ExpectAsync(0, "sync", "push");
        await bob.ExpectAsync(1, "sync", "pull");

        await bob.ExpectAsync(0, "sync", "resolve", "INFRA-001", flag);
        await bob.ExpectAsync(0, "sync", "push");
        await alice.ExpectAsync(0, "sync", "pull");

        Assert.Contains(expected, bob.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Equal(alice.Workspace.Read(Story), bob.Workspace.Read(Story));
    }

    [Fact]
    public async Task Dry_runs_change_nothing_local_or_remote()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "What problem are we solving?", "Alice's problem.");
        await alice.ExpectAsync(0, "new-story", "INFRA", "Another");
        await alice.ExpectAsync(0, "sync", "push");
        Replace(bob, Story, "What problem are we solving?", "Bob's problem.");
        bob.Workspace.Write(".agent/cache/stories/WEB/WEB-001-local.md", "# WEB-001: Local\n");
        var before = (bob.Files(), Snapshot.Database(bob.Workspace.PathOf(".agent/cache/agent.db")), await Snapshot.RemoteAsync(Remote, alice.Project));

        var push = await bob.ExpectAsync(0, "sync", "push", "--dry-run", "--json");
        var pull = await bob.ExpectAsync(0, "sync", "pull", "--dry-run", "--json");

        var after = (bob.Files(), Snapshot.Database(bob.Workspace.PathOf(".agent/cache/agent.db")), await Snapshot.RemoteAsync(Remote, alice.Project));
        Assert.Equal(before.Item1, after.Item1);
        Assert.Equal(before.Item2, after.Item2);
        Assert.Equal(before.Item3, after.Item3);
        var wouldPush = JsonDocument.Parse(push.Out).RootElement;
        Assert.True(wouldPush.GetProperty("dry_run").GetBoolean());
        Assert.Equal(["INFRA-001", "WEB-001"], wouldPush.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        var wouldPull = JsonDocument.Parse(pull.Out).RootElement;
        Assert.Equal("INFRA-001", wouldPull.GetProperty("conflicts")[0].GetProperty("id").GetString());
        Assert.Equal("INFRA-002", wouldPull.GetProperty("pulled")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_deletion_removes_unedited_files_and_conflicts_with_an_edit()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        await alice.ExpectAsync(0, "new-story", "INFRA", "Second");
        const string second = ".agent/cache/stories/INFRA/INFRA-002-second.md";
        await bob.ExpectAsync(0, "sync", "pull");

        File.Delete(alice.Workspace.PathOf(second));
        File.Delete(alice.Workspace.PathOf(Story));
        Replace(bob, Story, "What problem are we solving?", "Bob keeps working.");
        await alice.ExpectAsync(0, "sync", "push");
        var pull = await bob.ExpectAsync(1, "sync", "pull", "--json");

        Assert.False(bob.Workspace.Exists(second));
        Assert.True(bob.Workspace.Exists(Story));
        Assert.Contains("Bob keeps working.", bob.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Equal("INFRA-001", JsonDocument.Parse(pull.Out).RootElement.GetProperty("conflicts")[0].GetProperty("id").GetString());
        await bob.ExpectAsync(0, "sync", "resolve", "INFRA-001", "--ours");
        await bob.ExpectAsync(0, "sync", "push");
        await alice.ExpectAsync(0, "sync", "pull");
        Assert.Contains("Bob keeps working.", alice.Workspace.Read(Story), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_never_changes_the_local_state_and_status_shows_the_remote_one()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "## State\n\nDRAFT\n", "## State\n\nAPPROVED\n");
        Replace(alice, Story, "What problem are we solving?", "Approved problem.");
        await alice.ExpectAsync(0, "sync", "push");

        await bob.ExpectAsync(0, "sync", "pull");
        var push = await bob.ExpectAsync(0, "sync", "push", "--json");
        var status = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;

        var text = bob.Workspace.Read(Story);
        Assert.Contains("## State\n\nDRAFT\n", text, StringComparison.Ordinal);
        Assert.Contains("Approved problem.", text, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(push.Out).RootElement.GetProperty("pushed").GetArrayLength());
        var difference = status.GetProperty("state_differences")[0];
        Assert.Equal(("INFRA-001", "DRAFT", "APPROVED"), (difference.GetProperty("id").GetString(), difference.GetProperty("local").GetString(), difference.GetProperty("remote").GetString()));
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());

        // Bob's next edit must not carry his DRAFT back over the remote's APPROVED: each side keeps its own state.
        Replace(bob, Story, "How will we verify correctness?", "Bob's test plan.");
        await bob.ExpectAsync(0, "sync", "push");
        await alice.ExpectAsync(0, "sync", "pull");
        Assert.Contains("## State\n\nAPPROVED\n", alice.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Contains("Bob's test plan.", alice.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Contains("## State\n\nDRAFT\n", bob.Workspace.Read(Story), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_artifact_from_the_remote_arrives_with_its_own_state()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-050-approved.md", "# INFRA-050: Approved\n\n## State\n\nAPPROVED\n");
        await alice.ExpectAsync(0, "sync", "push");

        await bob.ExpectAsync(0, "sync", "pull");

        Assert.Equal("# INFRA-050: Approved\n\n## State\n\nAPPROVED\n", bob.Workspace.Read(".agent/cache/stories/INFRA/INFRA-050-approved.md"));
    }

    [Fact]
    public async Task A_file_left_empty_by_a_power_cut_before_the_page_committed_takes_the_remote_text()
    {
        // A pull flushes a page's files once, before its rows commit; a power cut in between can leave a new file empty
        // under its real name with no row for it. The next pull meets that file and must not treat it as an edit.
        var (alice, bob) = await SharedBeforeBobPullsAsync();
        using var _ = alice;
        using var __ = bob;
        bob.Workspace.Write(Story, "");

        await bob.ExpectAsync(0, "sync", "pull");

        Assert.Equal(alice.Workspace.Read(Story), bob.Workspace.Read(Story));
        var status = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());
        Assert.Equal(0, status.GetProperty("conflicts").GetArrayLength());
        var push = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "push", "--json")).Out).RootElement;
        Assert.Equal(0, push.GetProperty("pushed").GetArrayLength());
    }

    [Fact]
    public async Task A_new_file_cut_short_before_its_row_committed_is_completed_by_the_next_pull()
    {
        // A pull writes a new artifact's file in place (no temporary name); a kill in the middle of that write leaves the
        // first part of the remote text and no row. The next pull completes it rather than calling it a local edit.
        var (alice, bob) = await SharedBeforeBobPullsAsync();
        using var _ = alice;
        using var __ = bob;
        var text = alice.Workspace.Read(Story);
        bob.Workspace.Write(Story, text[..(text.Length / 2)]);

        var pull = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "pull", "--json")).Out).RootElement;

        Assert.Equal(text, bob.Workspace.Read(Story));
        Assert.Equal(1, pull.GetProperty("pulled").GetArrayLength());
        Assert.Equal(0, pull.GetProperty("conflicts").GetArrayLength());
        var push = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "push", "--json")).Out).RootElement;
        Assert.Equal(0, push.GetProperty("pushed").GetArrayLength());
    }

    [Fact]
    public async Task A_file_there_before_the_pull_that_is_not_a_beginning_of_the_remote_text_is_merged_not_overwritten()
    {
        var (alice, bob) = await SharedBeforeBobPullsAsync();
        using var _ = alice;
        using var __ = bob;
        var text = alice.Workspace.Read(Story);
        var bobs = text[..(text.Length / 2)] + "\nBob wrote this line himself.\n";
        bob.Workspace.Write(Story, bobs);

        var pull = await bob.RunAsync("sync", "pull");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("Bob wrote this line himself.", bob.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Contains("<<<<<<< local", bob.Workspace.Read(Story), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_pushes_queue_with_exit_75_and_the_next_push_sends_them_once()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        var offline = new Dictionary<string, string?> { ["AGENT_SYNC_REMOTE"] = "postgresql://agent@127.0.0.1:1/nowhere" };
        Replace(bob, Story, "What problem are we solving?", "Written offline.");

        var push = await bob.RunWithAsync(offline, "sync", "push");
        var status = JsonDocument.Parse((await bob.RunWithAsync(offline, "sync", "status", "--json")).Out).RootElement;
        var newStory = await bob.RunWithAsync(offline, "new-story", "INFRA", "Made offline");

        Assert.Equal(75, push.ExitCode);
        Assert.Contains("1 changes queued", push.Error, StringComparison.Ordinal);
        Assert.Equal("unreachable", status.GetProperty("remote").GetString());
        Assert.Equal(1, status.GetProperty("queued").GetInt32());
        Assert.Equal(0, newStory.ExitCode);
        Assert.Contains("queued", newStory.Error, StringComparison.Ordinal);

        await alice.ExpectAsync(0, "new-story", "INFRA", "Made online");
        var retry = await bob.ExpectAsync(0, "sync", "push", "--json");
        await alice.ExpectAsync(0, "sync", "pull");

        var result = JsonDocument.Parse(retry.Out).RootElement;
        Assert.Equal(0, result.GetProperty("queued").GetInt32());
        Assert.Contains("Written offline.", alice.Workspace.Read(Story), StringComparison.Ordinal);
        await using var check = Remote.Open();
        await check.ConnectAsync(CancellationToken.None);
        var log = await check.LogAsync(alice.Project, "INFRA-001", AgentSync.Artifacts.ArtifactKind.Story, CancellationToken.None);
        Assert.Equal([1L, 2L], log.Select(l => l.Version));
        // Bob's offline INFRA-002 collided with Alice's online INFRA-002: Bob's moved, Alice's is untouched.
        Assert.True(alice.Workspace.Exists(".agent/cache/stories/INFRA/INFRA-002-made-online.md"));
        Assert.True(alice.Workspace.Exists(".agent/cache/stories/INFRA/INFRA-003-made-offline.md"));
        Assert.StartsWith("# INFRA-003: Made offline", bob.Workspace.Read(".agent/cache/stories/INFRA/INFRA-003-made-offline.md"), StringComparison.Ordinal);
        Assert.False(bob.Workspace.Exists(".agent/cache/stories/INFRA/INFRA-002-made-offline.md"));
    }

    /// <summary>Sets the developer's batch size and writes the files; returns them.</summary>
    private static Dictionary<string, string> WriteStories(Developer developer, int batchSize, Dictionary<string, string> texts)
    {
        developer.Workspace.Write(".agent/etc/sync.yaml", developer.Workspace.Read(".agent/etc/sync.yaml").Replace("batch_size: 500", $"batch_size: {batchSize}", StringComparison.Ordinal));
        foreach (var (path, text) in texts)
            developer.Workspace.Write(path, text);
        return texts;
    }

    [Fact]
    public async Task An_offline_push_of_more_than_a_batch_queues_every_change_and_the_next_push_sends_them_all()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        // Batches of three: a push records its first batch's worth of the tree, sends it, and records the rest meanwhile.
        // Offline, the rest is recorded and queued all the same.
        var texts = WriteStories(bob, batchSize: 3, Enumerable.Range(10, 8).ToDictionary(i => $".agent/cache/stories/INFRA/INFRA-0{i}-offline.md", i => $"# INFRA-0{i}: Offline {i}\n\n## State\n\nDRAFT\n\nItem {i}.\n"));
        var offline = new Dictionary<string, string?> { ["AGENT_SYNC_REMOTE"] = "postgresql://agent@127.0.0.1:1/nowhere" };

        var push = await bob.RunWithAsync(offline, "sync", "push");
        var status = JsonDocument.Parse((await bob.RunWithAsync(offline, "sync", "status", "--json")).Out).RootElement;

        Assert.Equal(75, push.ExitCode);
        Assert.Contains("8 changes queued", push.Error, StringComparison.Ordinal);
        Assert.Equal(8, status.GetProperty("queued").GetInt32());
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());

        var retry = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "push", "--json")).Out).RootElement;
        await alice.ExpectAsync(0, "sync", "pull");

        Assert.Equal(8, retry.GetProperty("pushed").GetArrayLength());
        Assert.Equal(0, retry.GetProperty("queued").GetInt32());
        foreach (var (path, text) in texts)
            Assert.Equal(text, alice.Workspace.Read(path));
    }

    [Fact]
    public async Task A_push_whose_first_batch_is_all_held_back_by_the_screen_still_sends_the_rest()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        var key = "AKIA" + "IOSFODNN7" + "REALKEY";
        // The tree is recorded in path order: the two leaky files make up the whole first batch.
        bob.Workspace.Write(".agent/cache/stories/INFRA/INFRA-010-leaky.md", $"# INFRA-010: Leaky\n\naws_access_key_id = {key}\n");
        bob.Workspace.Write(".agent/cache/stories/INFRA/INFRA-011-leaky.md", $"# INFRA-011: Leaky too\n\naws_access_key_id = {key}\n");
        var clean = WriteStories(bob, batchSize: 2, Enumerable.Range(12, 4).ToDictionary(i => $".agent/cache/stories/INFRA/INFRA-0{i}-clean.md", i => $"# INFRA-0{i}: Clean {i}\n\nNothing to hide.\n"));

        var push = await bob.RunAsync("sync", "push", "--json");
        await alice.ExpectAsync(0, "sync", "pull");

        Assert.Equal(2, push.ExitCode);
        var report = JsonDocument.Parse(push.Out).RootElement;
        Assert.Equal(["INFRA-012", "INFRA-013", "INFRA-014", "INFRA-015"], report.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("INFRA-010-leaky.md:3: secret (aws-access-key)", push.Out + push.Error, StringComparison.Ordinal);
        Assert.Contains("INFRA-011-leaky.md:3: secret (aws-access-key)", push.Out + push.Error, StringComparison.Ordinal);
        foreach (var (path, text) in clean)
            Assert.Equal(text, alice.Workspace.Read(path));
        Assert.False(alice.Workspace.Exists(".agent/cache/stories/INFRA/INFRA-010-leaky.md"));
        Assert.False(alice.Workspace.Exists(".agent/cache/stories/INFRA/INFRA-011-leaky.md"));
    }

    [Fact]
    public async Task Two_developers_creating_stories_at_once_never_get_the_same_id()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        // A loaded test machine can take longer than the default few seconds; the point here is uniqueness.
        foreach (var developer in new[] { alice, bob })
            developer.Workspace.Write(".agent/etc/sync.yaml", developer.Workspace.Read(".agent/etc/sync.yaml") + "new_id_timeout_seconds: 60\n");

        var results = await Task.WhenAll(
            alice.RunAsync("new-story", "WEB", "From Alice 1"), bob.RunAsync("new-story", "WEB", "From Bob 1"),
            alice.RunAsync("new-story", "WEB", "From Alice 2"), bob.RunAsync("new-story", "WEB", "From Bob 2"));

        Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.Error.Length == 0, r.ToString()));
        var ids = results.Select(r => Path.GetFileName(r.Out.Trim())[..7]).Order().ToList();
        Assert.Equal(["WEB-001", "WEB-002", "WEB-003", "WEB-004"], ids);
    }

    [Fact]
    public async Task A_change_the_remote_refuses_for_good_does_not_block_the_others()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        var config = alice.Workspace.Read(".agent/etc/sync.yaml").Replace("max_file_bytes: 1048576", "max_file_bytes: 4194304", StringComparison.Ordinal);
        alice.Workspace.Write(".agent/etc/sync.yaml", config);
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-070-huge.md", "# INFRA-070: Huge\n" + new string('x', 1_500_000));
        Replace(alice, Story, "What problem are we solving?", "This one goes.");

        var push = await alice.ExpectAsync(2, "sync", "push", "--json");
        var status = JsonDocument.Parse((await alice.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;

        var result = JsonDocument.Parse(push.Out).RootElement;
        Assert.Equal(["INFRA-001"], result.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal("INFRA-070", result.GetProperty("rejected")[0].GetProperty("id").GetString());
        Assert.Equal("INFRA-070", status.GetProperty("rejected")[0].GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("rejected")[0].GetProperty("reason").GetString()));

        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-070-huge.md", "# INFRA-070: Smaller now\n");
        var retry = await alice.ExpectAsync(0, "sync", "push", "--json");
        Assert.Equal("INFRA-070", JsonDocument.Parse(retry.Out).RootElement.GetProperty("pushed")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_push_in_small_batches_merges_a_conflict_and_sets_a_refused_change_aside_without_losing_later_batches()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        // Batches of three: the next batch is prepared, and sent, while the one before is answered and applied.
        var config = alice.Workspace.Read(".agent/etc/sync.yaml")
            .Replace("batch_size: 500", "batch_size: 3", StringComparison.Ordinal)
            .Replace("max_file_bytes: 1048576", "max_file_bytes: 4194304", StringComparison.Ordinal);
        alice.Workspace.Write(".agent/etc/sync.yaml", config);
        Replace(bob, Story, "How will we verify correctness?", "Bob wrote the tests.");
        await bob.ExpectAsync(0, "sync", "push");
        Replace(alice, Story, "What problem are we solving?", "Alice wrote the problem.");
        for (var i = 10; i < 24; i++)
            alice.Workspace.Write($".agent/cache/stories/INFRA/INFRA-0{i}-batch.md", $"# INFRA-0{i}: Batch {i}\n\n## State\n\nDRAFT\n\nItem {i}.\n");
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-070-huge.md", "# INFRA-070: Huge\n" + new string('x', 1_500_000));

        var push = JsonDocument.Parse((await alice.ExpectAsync(2, "sync", "push", "--json")).Out).RootElement;
        await bob.ExpectAsync(0, "sync", "pull");

        var pushed = push.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Equal(15, pushed.Count);
        Assert.Equal(Enumerable.Range(10, 14).Select(i => $"INFRA-0{i}").Append("INFRA-001").Order(StringComparer.Ordinal), pushed.Order(StringComparer.Ordinal));
        Assert.Equal("INFRA-001", Assert.Single(push.GetProperty("merged").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("INFRA-070", Assert.Single(push.GetProperty("rejected").EnumerateArray()).GetProperty("id").GetString());
        var final = alice.Workspace.Read(Story);
        Assert.Contains("Alice wrote the problem.", final, StringComparison.Ordinal);
        Assert.Contains("Bob wrote the tests.", final, StringComparison.Ordinal);
        Assert.Equal(final, bob.Workspace.Read(Story));
        for (var i = 10; i < 24; i++)
            Assert.Equal($"# INFRA-0{i}: Batch {i}\n\n## State\n\nDRAFT\n\nItem {i}.\n", bob.Workspace.Read($".agent/cache/stories/INFRA/INFRA-0{i}-batch.md"));
        Assert.False(File.Exists(bob.Workspace.PathOf(".agent/cache/stories/INFRA/INFRA-070-huge.md")));
        var status = JsonDocument.Parse((await alice.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal("INFRA-070", Assert.Single(status.GetProperty("rejected").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, status.GetProperty("remote_changes").GetArrayLength());
        var versions = JsonDocument.Parse((await bob.ExpectAsync(0, "list", "--json")).Out).RootElement.EnumerateArray()
            .ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("version").GetInt32());
        Assert.Equal(3, versions["INFRA-001"]);
        Assert.All(Enumerable.Range(10, 14), i => Assert.Equal(1, versions[$"INFRA-0{i}"]));
    }

    [Fact]
    public async Task Diff_and_log_show_what_changed_and_who_changed_it()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "What problem are we solving?", "Alice's problem.");
        await alice.ExpectAsync(0, "sync", "push");
        Replace(alice, Story, "Alice's problem.", "Alice's second thought.");

        var diff = await alice.ExpectAsync(0, "sync", "diff", "INFRA-001");
        var sideBySide = await alice.ExpectAsync(0, "sync", "diff", "INFRA-001", "--side-by-side");
        var log = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "log", "INFRA-001", "--json")).Out).RootElement;

        Assert.Contains("-Alice's problem.\n+Alice's second thought.\n", diff.Out, StringComparison.Ordinal);
        Assert.Contains("base v2", diff.Out, StringComparison.Ordinal);
        Assert.Contains("Alice's problem.", sideBySide.Out, StringComparison.Ordinal);
        Assert.Contains("| Alice's second thought.", sideBySide.Out, StringComparison.Ordinal);
        var remote = log.EnumerateArray().Where(e => e.GetProperty("source").GetString() == "remote").ToList();
        Assert.Equal([1, 2], remote.Select(e => e.GetProperty("version").GetInt32()));
        Assert.All(remote, e => Assert.Equal("alice@example.com", e.GetProperty("author").GetString()));
    }

    /// <summary>Six new stories, ids sorting before INFRA-001, in batches of 1, 2 and 4 (batch_size 4).</summary>
    private static void WriteEarlierStories(Developer developer) =>
        WriteStories(developer, batchSize: 4, Enumerable.Range(1, 6).ToDictionary(i => $".agent/cache/stories/AAA/AAA-00{i}-early.md", i => $"# AAA-00{i}: Early {i}\n\n## State\n\nDRAFT\n\nItem {i}.\n"));

    private static async Task<List<JsonElement>> RemotePushRecordsAsync(Developer developer)
    {
        var audit = JsonDocument.Parse((await developer.ExpectAsync(0, "sync", "audit", "--json", "--verify")).Out).RootElement;
        Assert.True(audit.GetProperty("verified").GetBoolean());
        return [.. audit.GetProperty("remote").EnumerateArray().Where(r => r.GetProperty("operation").GetString() == "push")];
    }

    private static List<string> Changes(JsonElement record) =>
        [.. record.GetProperty("details").GetProperty("artifacts").EnumerateArray()
            .Select(a => $"{a.GetProperty("id").GetString()} v{a.GetProperty("version").GetInt32()} {a.GetProperty("change").GetString()}")];

    [Fact]
    public async Task The_records_of_a_push_and_a_pull_say_the_caller_acts_with_full_rights_remotely_and_locally()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(alice, Story, "What problem are we solving?", "Alice wrote the problem.");
        await alice.ExpectAsync(0, "sync", "push");
        await bob.ExpectAsync(0, "sync", "pull");

        var audit = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "audit", "--json", "--verify")).Out).RootElement;

        // Every target connects with full rights (superuser, service role key, the file's owner). The Postgres remote
        // learns it from the append itself, the others when they connect; both records must say so.
        var remote = audit.GetProperty("remote").EnumerateArray().Where(r => r.GetProperty("operation").GetString() is "push" or "pull").ToList();
        var local = audit.GetProperty("local").EnumerateArray().Where(r => r.GetProperty("operation").GetString() == "pull").ToList();
        Assert.NotEmpty(remote);
        Assert.NotEmpty(local);
        Assert.All(remote.Concat(local), r => Assert.True(r.GetProperty("details").GetProperty("service_role").GetBoolean()));
    }

    [Fact]
    public async Task A_push_of_several_batches_sends_its_remote_audit_record_once_with_every_change()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        var before = (await RemotePushRecordsAsync(alice)).Count;
        WriteEarlierStories(alice);

        await alice.ExpectAsync(0, "sync", "push");

        var records = await RemotePushRecordsAsync(alice);
        Assert.Equal(before + 1, records.Count);
        Assert.Equal([.. Enumerable.Range(1, 6).Select(i => $"AAA-00{i} v1 pushed")], Changes(records[^1]));
        var counts = records[^1].GetProperty("details").GetProperty("counts");
        Assert.Equal((6, 0), (counts.GetProperty("pushed").GetInt32(), counts.GetProperty("queued").GetInt32()));
    }

    [Fact]
    public async Task A_conflict_in_the_last_batch_of_a_push_is_in_its_one_remote_audit_record()
    {
        var (alice, bob) = await PairWithStoryAsync();
        using var _ = alice;
        using var __ = bob;
        Replace(bob, Story, "What problem are we solving?", "Bob wrote the problem.");
        await bob.ExpectAsync(0, "sync", "push");
        var before = (await RemotePushRecordsAsync(alice)).Count;
        // INFRA-001 sorts after the six new stories: it is in the last batch, and the remote has moved it on.
        WriteEarlierStories(alice);
        Replace(alice, Story, "How will we verify correctness?", "Alice wrote the tests.");

        await alice.ExpectAsync(0, "sync", "push");

        var records = await RemotePushRecordsAsync(alice);
        Assert.Equal(before + 1, records.Count);
        Assert.Equal(
            [.. Enumerable.Range(1, 6).Select(i => $"AAA-00{i} v1 pushed"), "INFRA-001 v3 pushed", "INFRA-001 v2 merged"],
            Changes(records[^1]));
        Assert.Contains("Bob wrote the problem.", alice.Workspace.Read(Story), StringComparison.Ordinal);
    }
}

public sealed class FileRemoteSyncTests(FileRemoteTarget remote) : SyncScenarioTests(remote), IClassFixture<FileRemoteTarget>;

public sealed class PostgresRemoteSyncTests(PostgresRemoteTarget remote) : SyncScenarioTests(remote), IClassFixture<PostgresRemoteTarget>;

public sealed class RestRemoteSyncTests(RestRemoteTarget remote) : SyncScenarioTests(remote), IClassFixture<RestRemoteTarget>;
