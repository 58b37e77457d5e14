using System.Text.Json;
using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.SqliteFile;
using AgentSync.Sync;
using AgentSync.Tests.Support;
using AgentSync.Workspace;

namespace AgentSync.Tests.Sync;

/// <summary>Lost responses, kills at any moment, retries that must happen exactly once.</summary>
public sealed class FaultTests(FileRemoteTarget remote) : IClassFixture<FileRemoteTarget>
{
    /// <summary>A real remote whose answers get lost on the way back, as when a connection drops after the commit.</summary>
    private sealed class LosingRemote(IRemote inner) : IRemote
    {
        public int Pushes { get; private set; }

        public string Describe => inner.Describe;

        public Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public Task<bool> EnsureProjectAsync(string project, CancellationToken cancellationToken) => inner.EnsureProjectAsync(project, cancellationToken);

        public async Task<IReadOnlyList<PushResult>> PushAsync(string project, IReadOnlyList<RemoteChange> batch, CancellationToken cancellationToken)
        {
            await inner.PushAsync(project, batch, cancellationToken);
            Pushes++;
            throw new RemoteUnavailableException("connection reset after the request was sent");
        }

        public Task<PullPage> PullAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken) => inner.PullAsync(project, afterSequence, limit, cancellationToken);

        public Task<long> NextIdAsync(string project, string scope, CancellationToken cancellationToken) => inner.NextIdAsync(project, scope, cancellationToken);

        public Task<IReadOnlyList<RemoteChangeRecord>> LogAsync(string project, string id, ArtifactKind kind, CancellationToken cancellationToken) => inner.LogAsync(project, id, kind, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static string NewProject() => "fault-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_push_whose_response_was_lost_is_retried_with_the_same_change_id_and_applied_once()
    {
        using var workspace = new TempWorkspace();
        var project = NewProject();
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-a.md", "# INFRA-001: A\n");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-002-b.md", "# INFRA-002: B\n");
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init", "--remote", remote.Url, "--project", project)).ExitCode);
        await using var context = await SyncContext.OpenAsync(AgentWorkspace.At(workspace.Root), CancellationToken.None);
        var losing = new LosingRemote(remote.Open());

        var lost = await new PushService(context, () => losing).RunAsync(null, dryRun: false, CancellationToken.None);
        var retried = await new PushService(context).RunAsync(null, dryRun: false, CancellationToken.None);

        Assert.Equal(1, losing.Pushes);
        Assert.Equal(ExitCodesQueued, lost.ExitCode);
        Assert.Equal(2, lost.Queued);
        Assert.Equal(0, retried.ExitCode);
        Assert.Equal([1L, 1L], retried.Pushed.Select(p => p.Version));
        Assert.Equal(0, retried.Queued);
        var log = await Snapshot.RemoteAsync(remote, project);
        Assert.Equal(2, log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private const int ExitCodesQueued = 75;

    [Fact]
    public async Task Timeout_seconds_bounds_how_long_a_remote_call_waits_before_the_work_is_queued()
    {
        using var workspace = new TempWorkspace();
        var project = NewProject();
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init", "--remote", remote.Url, "--project", project)).ExitCode);
        workspace.Write(".agent/etc/sync.yaml", workspace.Read(".agent/etc/sync.yaml").Replace("timeout_seconds: 30", "timeout_seconds: 1", StringComparison.Ordinal));
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-a.md", "# INFRA-001: A\n");
        using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={remote.Path};Pooling=False");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            // Another process holds the remote file's write lock for longer than this workspace will wait.
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var push = await AgentCli.RunAsync(workspace.Root, "sync", "push");
        clock.Stop();

        Assert.Equal(ExitCodesQueued, push.ExitCode);
        Assert.Contains("1 changes queued", push.Error, StringComparison.Ordinal);
        // The default would wait 30 s; the configured second (plus process start-up) is far below that.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Killing_push_and_pull_at_many_moments_loses_no_edit_and_applies_nothing_twice()
    {
        var project = NewProject();
        using var alice = new TempWorkspace();
        using var bob = new TempWorkspace(email: "bob@example.com");
        var sources = Corpus.Files().Where(f => f.Contains("/stories/", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < 240; i++)
        {
            var text = File.ReadAllText(Path.Combine(Corpus.AgenticDev, sources[i % sources.Count]));
            alice.Write($".agent/cache/stories/KILL/KILL-{i + 1:000}-copy.md", $"# KILL-{i + 1:000}: Copy {i}\n\n{text}");
        }

        Assert.Equal(0, (await AgentCli.RunAsync(alice.Root, "sync", "init", "--remote", remote.Url, "--project", project)).ExitCode);
        var random = new Random(20261125);
        var edits = new Dictionary<string, string>();
        for (var round = 0; round < 12; round++)
        {
            // Edit a file between kills: whatever the kill interrupted, this edit must survive and arrive.
            var edited = $".agent/cache/stories/KILL/KILL-{random.Next(1, 241):000}-copy.md";
            var content = alice.Read(edited) + $"\nedit in round {round}\n";
            alice.Write(edited, content);
            edits[edited] = content;
            await KillAfterAsync(alice.Root, TimeSpan.FromMilliseconds(random.Next(30, 900)), "sync", "push");
        }

        var push = await AgentCli.RunAsync(alice.Root, "sync", "push", "--json");
        Assert.True(push.ExitCode == 0, push.ToString());

        bob.Write(".agent/etc/sync.yaml", $"remote: {remote.Url}\nproject: {project}\n");
        Assert.Equal(0, (await AgentCli.RunAsync(bob.Root, "sync", "init")).ExitCode);
        for (var round = 0; round < 10; round++)
            await KillAfterAsync(bob.Root, TimeSpan.FromMilliseconds(random.Next(30, 900)), "sync", "pull");
        var pull = await AgentCli.RunAsync(bob.Root, "sync", "pull");
        Assert.True(pull.ExitCode == 0, pull.ToString());

        foreach (var (path, content) in edits)
        {
            Assert.Equal(content, alice.Read(path));
            Assert.Equal(content, bob.Read(path));
        }

        for (var i = 1; i <= 240; i++)
        {
            var path = $".agent/cache/stories/KILL/KILL-{i:000}-copy.md";
            Assert.Equal(alice.ReadBytes(path), bob.ReadBytes(path));
        }

        // Exactly once: every change id once in the log, versions 1..n without gaps per artifact.
        var log = (await Snapshot.RemoteAsync(remote, project)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToList();
        Assert.Equal(log.Count, log.Select(l => l[1]).Distinct().Count());
        foreach (var artifact in log.GroupBy(l => l[2]))
            Assert.Equal(Enumerable.Range(1, artifact.Count()).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), artifact.Select(l => l[4]));
        var status = JsonDocument.Parse((await AgentCli.RunAsync(alice.Root, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal(0, status.GetProperty("queued").GetInt32());
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());
    }

    private static async Task KillAfterAsync(string root, TimeSpan delay, params string[] args)
    {
        using var process = AgentCli.Start(root, null, args);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(delay);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushes
            await process.WaitForExitAsync();
        }

        await output;
        await error;
    }
}
