using System.Diagnostics;
using System.Text;
using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Xunit.Abstractions;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class ThroughputDatabase : PostgresDatabase
{
    protected override string Prefix => "throughput";
}

/// <summary>
/// A full batch must fit in Supabase's statement timeouts (anon 3 s, authenticated 8 s) with room to spare. The bounds
/// are loose because CI shares its cores; the measured figures go to the test output.
/// </summary>
public sealed class PostgresThroughputTests(ThroughputDatabase database, ITestOutputHelper output) : IClassFixture<ThroughputDatabase>
{
    private static string Artifact(int i)
    {
        var text = new StringBuilder($"# PERF-{i:0000}: Artifact {i}\n\n## State\n\nIN_PROGRESS\n\n## Tasks\n\n");
        while (text.Length < 6 * 1024)
            text.Append("- [ ] a task line with some words in it, long enough to look like real governance text\n");
        return text.ToString();
    }

    [Fact]
    public async Task A_batch_of_1000_artifacts_of_6_kb_pushes_and_pulls_within_the_statement_timeouts()
    {
        await using var remote = new PostgresRemote(database.Url());
        var project = "perf-" + Guid.NewGuid().ToString("N")[..8];
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        var batch = Enumerable.Range(1, 1000)
            .Select(i => Artifact(i))
            .Select((content, i) => new RemoteChange(Guid.NewGuid(), $"PERF-{i + 1:0000}", ArtifactKind.Story, 0, content, ContentHash.Of(content), false, "perf@example.com", "bulk import"))
            .ToList();
        // The first push of a session also compiles and plans the functions; measure it, then a warm one.
        var warmup = batch.Select(c => c with { ChangeId = Guid.NewGuid(), Id = "WARM-" + c.Id }).ToList();
        var cold = Stopwatch.StartNew();
        await remote.PushAsync(project, warmup, CancellationToken.None);
        cold.Stop();

        var push = Stopwatch.StartNew();
        var results = await remote.PushAsync(project, batch, CancellationToken.None);
        push.Stop();
        var retry = Stopwatch.StartNew();
        var retried = await remote.PushAsync(project, batch, CancellationToken.None);
        retry.Stop();
        var pull = Stopwatch.StartNew();
        var page = await remote.PullAsync(project, 1000, 1000, CancellationToken.None);
        pull.Stop();
        var update = Stopwatch.StartNew();
        var edits = await remote.PushAsync(project, batch.Select(c => c with { ChangeId = Guid.NewGuid(), BaseVersion = 1, Content = c.Content + "edit\n", ContentHash = ContentHash.Of(c.Content + "edit\n") }).ToList(), CancellationToken.None);
        update.Stop();

        output.WriteLine($"push 1000 x {batch[0].Content.Length} B (create, first call of the session): {cold.ElapsedMilliseconds} ms");
        output.WriteLine($"push 1000 x {batch[0].Content.Length} B (create): {push.ElapsedMilliseconds} ms");
        output.WriteLine($"push 1000 (idempotent retry): {retry.ElapsedMilliseconds} ms");
        output.WriteLine($"push 1000 (update): {update.ElapsedMilliseconds} ms");
        output.WriteLine($"pull 1000: {pull.ElapsedMilliseconds} ms");
        Assert.All(results, r => Assert.Equal(PushStatus.Accepted, r.Status));
        Assert.Equal(results.Select(r => r.Sequence), retried.Select(r => r.Sequence));
        Assert.All(edits, r => Assert.Equal((PushStatus.Accepted, 2L), (r.Status, r.Version)));
        Assert.Equal((1000, false), (page.Changes.Count, page.More));
        Assert.InRange(cold.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal(batch.Select(c => c.Content), page.Changes.Select(c => c.Content));
        Assert.InRange(push.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.InRange(update.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.InRange(pull.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }
}
