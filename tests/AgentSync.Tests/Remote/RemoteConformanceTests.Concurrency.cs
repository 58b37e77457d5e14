using System.Collections.Concurrent;
using AgentSync.Artifacts;
using AgentSync.Remote;

namespace AgentSync.Tests.Remote;

/// <summary>Many writers, one reader, big batches: what the sequence numbers and change ids exist for.</summary>
public abstract partial class RemoteConformanceTests
{
    [Fact]
    public async Task Concurrent_pushers_and_a_puller_lose_nothing_and_skip_nothing()
    {
        const int Artifacts = 50, Pushers = 16, EditsPerPusher = 25;
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var ids = Enumerable.Range(1, Artifacts).Select(i => $"RACE-{i:000}").ToArray();
        var created = await remote.PushAsync(project, ids.Select(id => Change(id, 0, $"{id} v1\n")).ToList(), CancellationToken.None);
        var accepted = new ConcurrentBag<PushResult>(created);

        // Each pusher has its own connection, as separate developers would; a conflict is retried with the same change
        // id against the version the remote returned, as the client does after a clean merge. All start together and
        // yield after every push, so that even a transport that completes synchronously interleaves its transactions.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pushing = Task.WhenAll(Enumerable.Range(0, Pushers).Select(pusher => Task.Run(async () =>
        {
            await using var own = await OpenRemoteAsync();
            await own.ConnectAsync(CancellationToken.None);
            await start.Task;
            var random = new Random(pusher);
            var known = ids.ToDictionary(id => id, _ => 1L);
            var pending = new Dictionary<string, RemoteChange>();
            for (var done = 0; done < EditsPerPusher;)
            {
                while (pending.Count < 2)
                {
                    var id = ids[random.Next(Artifacts)];
                    pending.TryAdd(id, Change(id, 0, $"{id} edited by pusher {pusher}, edit {done}.{pending.Count}\n"));
                }
                var batch = pending.Values.Select(c => c with { BaseVersion = known[c.Id] }).ToList();
                foreach (var result in await own.PushAsync(project, batch, CancellationToken.None))
                {
                    known[result.Id] = result.Version;
                    if (result.Status != PushStatus.Accepted)
                        continue;
                    accepted.Add(result);
                    pending.Remove(result.Id);
                    done++;
                }
                await Task.Yield();
            }
        })));
        start.SetResult();

        var seen = new List<RemoteChangeRecord>();
        var pulling = Task.Run(async () =>
        {
            await using var reader = await OpenRemoteAsync();
            await reader.ConnectAsync(CancellationToken.None);
            long after = 0;
            while (true)
            {
                // Read before pulling: the last page is then fetched after every push has returned.
                var finished = pushing.IsCompleted;
                var page = await reader.PullAsync(project, after, 7, CancellationToken.None);
                Assert.All(page.Changes, c => Assert.True(c.Sequence > after, $"seq {c.Sequence} came after cursor {after}"));
                seen.AddRange(page.Changes);
                after = page.LastSequence(after);
                if (finished && !page.More)
                    return;
                await Task.Yield();
            }
        });
        await pushing;
        await pulling;

        var log = await PullAllAsync(remote, project);
        var rows = log.ToLookup(c => c.ChangeId);
        Assert.Equal(accepted.Count, log.Count);
        Assert.All(accepted, result =>
        {
            var row = Assert.Single(rows[result.ChangeId]);
            Assert.Equal((result.Id, result.Version, result.Sequence), (row.Id, row.Version, (long?)row.Sequence));
        });
        Assert.All(log.GroupBy(c => c.Id), artifact =>
            Assert.Equal(Enumerable.Range(1, artifact.Count()).Select(v => (long)v), artifact.Select(c => c.Version)));
        Assert.True(log.Zip(log.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.Equal(log.Select(c => (c.Sequence, c.ChangeId)), seen.Select(c => (c.Sequence, c.ChangeId)));
        // A pusher's last batch may accept both of its items, one more than it needed.
        Assert.InRange(log.Count, Artifacts + (Pushers * EditsPerPusher), Artifacts + (Pushers * (EditsPerPusher + 1)));
    }

    [Fact]
    public async Task A_batch_of_1000_items_of_6_kb_round_trips()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, RemoteSchema.MaxPageSize).Select(i => Change($"BULK-{i:0000}", 0, BulkContent(i))).ToList();

        var results = await remote.PushAsync(project, batch, CancellationToken.None);
        var page = await remote.PullAsync(project, 0, RemoteSchema.MaxPageSize, CancellationToken.None);

        Assert.Equal(batch.Select(c => (c.ChangeId, c.Id, PushStatus.Accepted, 1L)), results.Select(r => (r.ChangeId, r.Id, r.Status, r.Version)));
        Assert.Equal(RemoteSchema.MaxPageSize, results.Select(r => r.Sequence).Distinct().Count());
        Assert.False(page.More);
        Assert.Equal(batch.Select(c => (c.ChangeId, c.Id, c.Content, c.ContentHash)), page.Changes.Select(c => (c.ChangeId, c.Id, c.Content, c.ContentHash)));
        Assert.Equal(results.Select(r => r.Sequence), page.Changes.Select(c => (long?)c.Sequence));
    }

    /// <summary>About 6 KB of markdown, different for every artifact.</summary>
    protected static string BulkContent(int i) =>
        $"# BULK-{i:0000}: Artifact {i}\n\n## State\n\nDRAFT\n\n" +
        string.Concat(Enumerable.Range(0, 100).Select(line => $"- [ ] step {line} of artifact {i}, with some words to fill it up\n"));
}
