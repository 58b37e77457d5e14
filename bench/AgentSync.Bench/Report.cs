using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentSync.Bench;

/// <summary>The bench's only output: Markdown tables with the targets beside the figures. A miss is a row, not a crash.</summary>
internal static class Report
{
    public static string Header(BenchOptions options, string agent, string corpus) => new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"# agent-sync bench: {options.Count:N0} artifacts{(options.Quick ? " (quick)" : "")}")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} logical CPUs; {RuntimeInformation.OSDescription}; bench on .NET {Environment.Version}")
        .AppendLine(CultureInfo.InvariantCulture, $"- load average at start: {LoadAverage()} (other work on the machine inflates wall times; CPU columns are the processes' own user+sys time)")
        .AppendLine(CultureInfo.InvariantCulture, $"- agent: `{agent}`")
        .AppendLine(CultureInfo.InvariantCulture, $"- corpus: `{corpus}` copied cyclically with fresh ids")
        .ToString();

    public static string Store(IReadOnlyList<StoreResult> results)
    {
        var text = new StringBuilder()
            .AppendLine("## In process (LocalStore, on the workspace's cache)")
            .AppendLine()
            .AppendLine("| operation | what | samples | p50 ms | p99 ms | max ms | samples > 1 ms | target | result |")
            .AppendLine("|---|---|--:|--:|--:|--:|--:|---|---|");
        foreach (var r in results)
        {
            var target = r.TargetP99Ms is { } t ? $"p99 < {Ms(t)} ms" : "—";
            var verdict = r.TargetP99Ms is { } limit ? (r.Stats.Percentile(99) < limit ? "PASS" : "MISS") : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.Detail} | {r.Stats.Count} | {Ms(r.Stats.Median)} | {Ms(r.Stats.Percentile(99))} | {Ms(r.Stats.Max)} | {r.Stats.CountAbove(1)} | {target} | {verdict} |");
        }

        return text.ToString();
    }

    public static string Processes(IReadOnlyList<ProcessResult> results)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"## Whole processes (published agent vs git on the same tree, interleaved, after 1 warm-up run each)")
            .AppendLine()
            .AppendLine("Times in ms: wall median / wall p90 / CPU median. Targets are judged on the agent's wall p90.")
            .AppendLine()
            .AppendLine("| operation | runs | agent | wall p50 | wall p90 | CPU p50 | git reference | wall p50 | wall p90 | CPU p50 | agent/git wall | agent/git CPU | target | result | notes |")
            .AppendLine("|---|--:|---|--:|--:|--:|---|--:|--:|--:|--:|--:|---|---|---|");
        foreach (var r in results)
        {
            var c = r.Case;
            var ratio = r.Agent.Median / Math.Max(r.Git.Median, 0.001);
            var cpuRatio = r.AgentCpu.Median / Math.Max(r.GitCpu.Median, 0.001);
            var target = c.TargetMs is { } t ? $"p90 < {Ms(t)} ms" : "—";
            var verdict = r.LastAgent.ExitCode != 0 ? "FAIL" : c.TargetMs is { } limit ? (r.Agent.Percentile(90) < limit ? "PASS" : "MISS") : "—";
            var notes = r.LastAgent.ExitCode != 0
                ? $"exit {r.LastAgent.ExitCode}: {r.LastAgent.FirstErrorLine.Replace("|", "\\|", StringComparison.Ordinal)}"
                : $"{r.LastAgent.OutputLines} lines out";
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {c.Operation} | {r.Agent.Count} | `{c.Agent.Display}` | {Ms(r.Agent.Median)} | {Ms(r.Agent.Percentile(90))} | {Ms(r.AgentCpu.Median)} | `{c.Git.Display}` | {Ms(r.Git.Median)} | {Ms(r.Git.Percentile(90))} | {Ms(r.GitCpu.Median)} | {ratio:0.0}x | {cpuRatio:0.0}x | {target} | {verdict} | {notes} |");
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {LoadAverage()}.");
        return text.ToString();
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Ms(double ms) => ms switch
    {
        < 1 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.0", CultureInfo.InvariantCulture),
        _ => ms.ToString("0", CultureInfo.InvariantCulture),
    };
}
