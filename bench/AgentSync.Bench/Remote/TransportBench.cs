using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Remote.Rest;
using AgentSync.Remote.SqliteFile;
using AgentSync.Tests.Support;
using AgentSync.Tests.Support.Gateway;
using Npgsql;

namespace AgentSync.Bench.Remote;

/// <summary>
/// Table 1: <see cref="IRemote.PushAsync"/> of 1,000 new artifacts in batches of 500 (as PushService sends them) and
/// <see cref="IRemote.PullAsync"/> of them in pages of 1,000, per transport, beside the floor of the same store: a binary
/// COPY into a plain table and a plain SELECT back (PostgreSQL), or one transaction of plain INSERTs (SQLite).
/// Every repetition gets fresh databases and files; the first, untimed, warms the JIT and the pools.
/// </summary>
internal static class TransportBench
{
    public const int Count = 1000;
    public const int BatchSize = 500;
    public const int PageSize = RemoteSchema.MaxPageSize;
    private const string Project = "bench";

    private static readonly string[] Transports = ["SQLite file", "Postgres", "REST (gateway)"];

    public static async Task RunAsync(int repetitions, TextWriter output)
    {
        var server = await PostgresServer.SharedAsync();
        var contents = BenchCorpus.Cycle(Count);
        var samples = Transports.ToDictionary(t => t, _ => new Samples());
        var temp = Directory.CreateTempSubdirectory("agent-sync-bench-remote-");
        try
        {
            for (var rep = 0; rep <= repetitions; rep++)
            {
                var changes = Changes(contents);
                foreach (var transport in Transports)
                {
                    var sample = await RunOnceAsync(transport, server, temp.FullName, rep, changes);
                    if (rep > 0)
                        samples[transport].Add(sample);
                }

                await Console.Error.WriteLineAsync($"transports: repetition {rep}/{repetitions} done{(rep == 0 ? " (warm-up, not counted)" : "")}");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }

        await output.WriteLineAsync($"### Transports: {Count:N0} artifacts of corpus size, push in batches of {BatchSize}, pull in pages of {PageSize} (median of {repetitions}, ms)");
        await output.WriteLineAsync();
        await output.WriteLineAsync(Measure.Row("transport", "push", "floor write", "push / floor", "pull", "floor read", "pull / floor", "floor is"));
        await output.WriteLineAsync(Measure.Row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        foreach (var transport in Transports)
        {
            var s = samples[transport];
            var (push, floorWrite, pull, floorRead) = (Measure.Median(s.Push), Measure.Median(s.FloorWrite), Measure.Median(s.Pull), Measure.Median(s.FloorRead));
            await output.WriteLineAsync(Measure.Row(transport, Measure.Ms(push), Measure.Ms(floorWrite), Measure.Ratio(push, floorWrite),
                Measure.Ms(pull), Measure.Ms(floorRead), Measure.Ratio(pull, floorRead),
                transport == "SQLite file" ? "plain INSERTs in one transaction, plain SELECT (same file system, WAL, synchronous=FULL)" : "binary COPY into a plain table, plain SELECT (same server)"));
        }

        await output.WriteLineAsync();
    }

    private static async Task<(double Push, double FloorWrite, double Pull, double FloorRead)> RunOnceAsync(
        string transport, PostgresServer server, string temp, int rep, IReadOnlyList<RemoteChange> changes)
    {
        switch (transport)
        {
            case "SQLite file":
                {
                    await using var remote = new SqliteFileRemote(Path.Combine(temp, $"remote-{rep}.db"));
                    var (push, pull) = await PushPullAsync(remote, changes);
                    var (write, read) = await SqliteFloor.RunAsync(Path.Combine(temp, $"floor-{rep}.db"), changes);
                    return (push, write, pull, read);
                }

            case "Postgres":
                {
                    var connectionString = await server.CreateDatabaseAsync("bench_pg");
                    await using var remote = new PostgresRemote(server.Url(new NpgsqlConnectionStringBuilder(connectionString).Database!), "bench@example.com");
                    var (push, pull) = await PushPullAsync(remote, changes);
                    var (write, read) = await PostgresFloor.RunAsync(connectionString, changes);
                    return (push, write, pull, read);
                }

            default:
                {
                    var connectionString = await server.CreateDatabaseAsync("bench_rest");
                    await using var gateway = await PostgrestGateway.StartAsync(connectionString);
                    await using var remote = new RestRemote(gateway.Url, RestCredentials.ServiceRole(gateway.Jwt.ServiceRoleKey()));
                    var (push, pull) = await PushPullAsync(remote, changes);
                    var (write, read) = await PostgresFloor.RunAsync(connectionString, changes);
                    return (push, write, pull, read);
                }
        }
    }

    /// <summary>Connect and create the project untimed; then time the push batches, then the pull pages.</summary>
    private static async Task<(double Push, double Pull)> PushPullAsync(IRemote remote, IReadOnlyList<RemoteChange> changes)
    {
        await remote.ConnectAsync(CancellationToken.None);
        await remote.EnsureProjectAsync(Project, CancellationToken.None);
        var push = await Measure.SecondsAsync(async () =>
        {
            foreach (var batch in changes.Chunk(BatchSize))
            {
                var results = await remote.PushAsync(Project, batch, CancellationToken.None);
                if (results.Any(r => r.Status != PushStatus.Accepted))
                    throw new InvalidOperationException($"{remote.Describe}: a push of new artifacts was not accepted");
            }
        });

        var pulled = 0;
        var pull = await Measure.SecondsAsync(async () =>
        {
            var after = 0L;
            while (true)
            {
                var page = await remote.PullAsync(Project, after, PageSize, CancellationToken.None);
                pulled += page.Changes.Count;
                after = page.LastSequence(after);
                if (!page.More)
                    break;
            }
        });
        if (pulled != changes.Count)
            throw new InvalidOperationException($"{remote.Describe}: pulled {pulled} changes, pushed {changes.Count}");
        return (push, pull);
    }

    private static IReadOnlyList<RemoteChange> Changes(IReadOnlyList<string> contents) =>
        [.. contents.Select((content, i) =>
        {
            var id = $"BENCH-{i + 1:D4}";
            return new RemoteChange(Guid.NewGuid(), id, ArtifactKind.Story, 0, content, ContentHash.Of(content), false, "alice@example.com", "create")
            {
                Path = $"BENCH/{id}.md",
            };
        })];

    private sealed class Samples
    {
        public List<double> Push { get; } = [];

        public List<double> FloorWrite { get; } = [];

        public List<double> Pull { get; } = [];

        public List<double> FloorRead { get; } = [];

        public void Add((double Push, double FloorWrite, double Pull, double FloorRead) sample)
        {
            Push.Add(sample.Push);
            FloorWrite.Add(sample.FloorWrite);
            Pull.Add(sample.Pull);
            FloorRead.Add(sample.FloorRead);
        }
    }
}
