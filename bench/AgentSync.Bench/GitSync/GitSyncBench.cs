using AgentSync.Bench.Remote;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Bench.GitSync;

/// <summary>
/// Table 2: agent (Postgres remote, SQLite-file remote) against git, whole processes, same scenario, same disk.
/// Systems alternate within each repetition so drift in machine load hits them alike; the first repetition warms
/// the page cache and is not counted.
/// </summary>
internal static class GitSyncBench
{
    public static async Task RunAsync(int repetitions, string? agent, TextWriter output)
    {
        agent = Path.GetFullPath(agent ?? throw new InvalidOperationException("--agent PATH is required: dotnet publish src/AgentSync.Cli -c Release -o DIR, then pass DIR/agent"));
        if (!File.Exists(agent))
            throw new InvalidOperationException($"{agent} does not exist");
        var server = await PostgresServer.SharedAsync();
        var contents = BenchCorpus.Cycle(SyncScenario.Count);
        string[] systems = ["git", "agent, Postgres remote", "agent, SQLite-file remote"];
        var samples = systems.ToDictionary(s => s, _ => SyncScenario.Steps.Select(_ => new List<double>()).ToArray());
        var temp = Directory.CreateTempSubdirectory("agent-sync-bench-git-");
        try
        {
            for (var rep = 0; rep <= repetitions; rep++)
            {
                foreach (var system in systems)
                {
                    var root = Path.Combine(temp.FullName, $"{rep}-{system.Split(',')[^1].Trim().Replace(' ', '-')}");
                    Directory.CreateDirectory(root);
                    SyncScenario scenario = system switch
                    {
                        "git" => new GitScenario(root),
                        "agent, Postgres remote" => new AgentScenario(root, agent, server.Url(new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("bench_cli")).Database!)),
                        _ => new AgentScenario(root, agent, "file:../team.db"),
                    };
                    var times = await scenario.RunAsync(contents);
                    if (rep > 0)
                    {
                        for (var step = 0; step < times.Length; step++)
                            samples[system][step].Add(times[step]);
                    }
                }

                await Console.Error.WriteLineAsync($"git vs agent: repetition {rep}/{repetitions} done{(rep == 0 ? " (warm-up, not counted)" : "")}");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }

        await output.WriteLineAsync($"### agent vs git, whole processes, Alice and Bob on the same disk (median of {repetitions}, ms)");
        await output.WriteLineAsync();
        await output.WriteLineAsync(Measure.Row("step", "git", "agent (Postgres)", "agent/git", "agent (SQLite file)", "agent/git"));
        await output.WriteLineAsync(Measure.Row("---", "---:", "---:", "---:", "---:", "---:"));
        for (var step = 0; step < SyncScenario.Steps.Length; step++)
        {
            var git = Measure.Median(samples["git"][step]);
            var pg = Measure.Median(samples["agent, Postgres remote"][step]);
            var file = Measure.Median(samples["agent, SQLite-file remote"][step]);
            await output.WriteLineAsync(Measure.Row(SyncScenario.Steps[step], Measure.Ms(git), Measure.Ms(pg), Measure.Ratio(pg, git), Measure.Ms(file), Measure.Ratio(file, git)));
        }

        await output.WriteLineAsync();
    }
}
