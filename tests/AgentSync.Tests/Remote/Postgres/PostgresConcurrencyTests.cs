using System.Collections.Concurrent;
using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class ConcurrencyDatabase : PostgresDatabase
{
    protected override string Prefix => "concurrency";
}

/// <summary>
/// Many writers racing on the same artifacts while a reader follows the change log: the guarantees sync relies on
/// (compare-and-swap without lost updates, sequence numbers in commit order, nothing skipped by a cursor).
/// </summary>
public sealed class PostgresConcurrencyTests(ConcurrencyDatabase database) : IClassFixture<ConcurrencyDatabase>
{
    private const int Writers = 16;
    private const int Artifacts = 50;
    private const int EditsPerWriter = 25;

    private sealed record Accepted(Guid ChangeId, string Id, long Version, long Sequence);

    [Fact]
    public async Task Concurrent_pushers_lose_no_update_and_a_concurrent_puller_skips_no_change()
    {
        var project = "race-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(1, Artifacts).Select(i => $"RACE-{i:000}").ToArray();
        await using (var setup = new PostgresRemote(database.Url()))
        {
            await setup.EnsureProjectAsync(project, CancellationToken.None);
            var created = await setup.PushAsync(project, ids.Select(id => Change(id, 0, $"{id} v1\n")).ToList(), CancellationToken.None);
            Assert.All(created, r => Assert.Equal(PushStatus.Accepted, r.Status));
        }

        var accepted = new ConcurrentBag<Accepted>();
        using var writersDone = new CancellationTokenSource();
        var conflicts = 0;

        // Each writer has its own remote, hence its own connection pool: real concurrent sessions.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await using var remote = new PostgresRemote(database.Url());
            var random = new Random(w);
            var known = ids.ToDictionary(id => id, _ => 1L);
            for (var edit = 0; edit < EditsPerWriter; edit++)
            {
                // Mostly single edits, sometimes a batch of three, so batches interleave with single pushes.
                var targets = ids.OrderBy(_ => random.Next()).Take(edit % 5 == 0 ? 3 : 1).ToList();
                var pending = targets.ToDictionary(id => id, _ => Guid.NewGuid());
                while (pending.Count > 0)
                {
                    var batch = pending.Select(p => Change(p.Key, known[p.Key], $"{p.Key} by writer {w} edit {edit}\n", p.Value)).ToList();
                    foreach (var result in await remote.PushAsync(project, batch, CancellationToken.None))
                    {
                        known[result.Id] = result.Version;
                        if (result.Status == PushStatus.Accepted)
                        {
                            accepted.Add(new Accepted(result.ChangeId, result.Id, result.Version, result.Sequence!.Value));
                            pending.Remove(result.Id);
                        }
                        else
                        {
                            Interlocked.Increment(ref conflicts);
                            // A rebased change is a new change: new id, new base.
                            pending[result.Id] = Guid.NewGuid();
                        }
                    }
                }
            }
        })).ToList();

        var seen = new List<RemoteChangeRecord>();
        var puller = Task.Run(async () =>
        {
            await using var remote = new PostgresRemote(database.Url());
            long cursor = 0;
            while (true)
            {
                var finished = writersDone.IsCancellationRequested;
                var page = await remote.PullAsync(project, cursor, 37, CancellationToken.None);
                seen.AddRange(page.Changes);
                cursor = page.LastSequence(cursor);
                // The last pass starts after every writer finished, so it must reach the end.
                if (finished && !page.More)
                    return;
            }
        });

        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await puller;

        // Every fifth edit of a writer touches three artifacts, the others one.
        var editsPerWriter = Enumerable.Range(0, EditsPerWriter).Sum(e => e % 5 == 0 ? 3 : 1);
        Assert.Equal(Writers * editsPerWriter, accepted.Count);
        var expectedChanges = Artifacts + accepted.Count;
        await using var check = new PostgresRemote(database.Url());
        var log = new List<RemoteChangeRecord>();
        for (long cursor = 0; ;)
        {
            var page = await check.PullAsync(project, cursor, 1000, CancellationToken.None);
            log.AddRange(page.Changes);
            cursor = page.LastSequence(cursor);
            if (!page.More)
                break;
        }

        Assert.True(conflicts > 0, "the writers never collided: the test exercised nothing");
        // Every accepted change is in the log exactly once, at the sequence number its push reported.
        Assert.Equal(expectedChanges, log.Count);
        Assert.Equal(log.Count, log.Select(c => c.ChangeId).Distinct().Count());
        var bySequence = log.ToDictionary(c => c.Sequence);
        foreach (var change in accepted)
            Assert.Equal((change.ChangeId, change.Id, change.Version), (bySequence[change.Sequence].ChangeId, bySequence[change.Sequence].Id, bySequence[change.Sequence].Version));
        // Sequence numbers are gapless: failed transactions never burn one.
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(c => c.Sequence));
        // Per artifact, versions go 1, 2, 3, ... without gaps or repeats: no lost update.
        foreach (var group in log.GroupBy(c => c.Id))
            Assert.Equal(Enumerable.Range(1, group.Count()).Select(i => (long)i), group.Select(c => c.Version));
        // The concurrent puller saw everything, in order, each once: its cursor never skipped a late commit.
        Assert.Equal(log.Select(c => c.ChangeId), seen.Select(c => c.ChangeId));
    }

    private static RemoteChange Change(string id, long baseVersion, string content, Guid? changeId = null) =>
        new(changeId ?? Guid.NewGuid(), id, ArtifactKind.Story, baseVersion, content, ContentHash.Of(content), false, "racer@example.com", "race");
}
