using System.Diagnostics;
using AgentSync.Store;
using AgentSync.Sync;
using AgentSync.Workspace;

namespace AgentSync.Bench;

internal sealed record StoreResult(string Operation, string Detail, Stats Stats, double? TargetP99Ms);

/// <summary>In-process timings against <see cref="LocalStore"/> and the local status, on the workspace's own cache.</summary>
internal static class StoreBench
{
    private const int Seed = 20_261_125;

    public static async Task<IReadOnlyList<StoreResult>> RunAsync(CorpusWorkspace workspace, BenchOptions options, CancellationToken cancellationToken)
    {
        var results = new List<StoreResult>();
        var dbPath = AgentWorkspace.At(workspace.Root).DatabasePath;

        await using (var context = await SyncContext.OpenAsync(AgentWorkspace.At(workspace.Root), cancellationToken))
        {
            var all = await context.Store.ListAsync(null, null, cancellationToken);
            var random = new Random(Seed);
            var picks = Enumerable.Range(0, options.OpIterations + Warmup(options.OpIterations)).Select(_ => all[random.Next(all.Count)]).ToList();
            results.Add(new StoreResult("get", "GetAsync(id, kind), random ids", await TimeEachAsync(Warmup(options.OpIterations), picks, a => context.Store.GetAsync(a.Id, a.Kind, cancellationToken)), 1));

            var listed = 0;
            var list = await TimeAsync(options.ScanIterations, async () => listed = (await context.Store.ListAsync(null, "COMMITTED", cancellationToken)).Count);
            results.Add(new StoreResult("list by state", $"ListAsync(null, \"COMMITTED\"), {listed} rows", list, null));

            var changes = -1;
            var status = await TimeAsync(options.ScanIterations, async () => changes = (await LocalStatus.ComputeAsync(context, cancellationToken)).FileChanges.Count);
            results.Add(new StoreResult("local status", $"LocalStatus.ComputeAsync, {all.Count} artifacts, {changes} changed", status, null));
        }

        // Writes go to a copy so the processes measured afterwards see the tree and the cache in step.
        var copy = Path.Combine(workspace.Scratch, "put.db");
        File.Copy(dbPath, copy, overwrite: true);
        await using (var store = await LocalStore.OpenAsync(copy, cancellationToken))
        {
            var all = await store.ListAsync(null, null, cancellationToken);
            var random = new Random(Seed);
            var targets = Enumerable.Range(0, 256).Select(_ => all[random.Next(all.Count)]).DistinctBy(a => (a.Id, a.Kind)).ToList();
            var texts = new Dictionary<(string, Artifacts.ArtifactKind), string>();
            foreach (var a in targets)
                texts[(a.Id, a.Kind)] = await store.GetBlobAsync(a.ContentHash, cancellationToken) ?? "";
            var n = 0;
            var puts = Enumerable.Range(0, options.OpIterations + Warmup(options.OpIterations)).Select(i => targets[i % targets.Count]).ToList();
            var put = await TimeEachAsync(Warmup(options.OpIterations), puts, async a =>
            {
                // A distinct edit each time, so every put stores a new blob as a real edit would.
                var content = texts[(a.Id, a.Kind)] + $"\n<!-- bench edit {n++} -->\n";
                await using var scope = await store.BeginWriteAsync(cancellationToken);
                var hash = await store.PutBlobAsync(content, cancellationToken);
                await store.PutAsync(a with { ContentHash = hash, UpdatedAt = DateTimeOffset.UtcNow }, cancellationToken);
                await scope.CommitAsync(cancellationToken);
            });
            results.Add(new StoreResult("put", "PutBlobAsync + PutAsync in one write transaction", put, 1));
        }

        return results;
    }

    private static int Warmup(int iterations) => Math.Max(50, iterations / 10);

    /// <summary>Times each call on its own; the first <paramref name="warmup"/> calls warm the JIT and SQLite's page cache.</summary>
    private static async Task<Stats> TimeEachAsync<T>(int warmup, IReadOnlyList<T> items, Func<T, Task> operation)
    {
        var samples = new List<double>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var begin = Stopwatch.GetTimestamp();
            await operation(items[i]);
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            if (i >= warmup)
                samples.Add(elapsed);
        }

        return new Stats(samples);
    }

    private static async Task<Stats> TimeAsync(int iterations, Func<Task> operation)
    {
        for (var i = 0; i < Math.Max(2, iterations / 5); i++)
            await operation();
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var begin = Stopwatch.GetTimestamp();
            await operation();
            samples.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        }

        return new Stats(samples);
    }
}
