using System.Globalization;
using AgentSync.Bench.GitSync;

namespace AgentSync.Bench.Remote;

/// <summary>
/// <c>AgentSync.Bench remote [transports] [git] [--reps N] [--agent PATH]</c>: the remote benchmarks, printed as Markdown.
/// Without a table name both run. Program.cs hands over with one line.
/// </summary>
public static class RemoteBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var reps = Option(args, "--reps") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 5;
        var transports = args.Contains("transports");
        var git = args.Contains("git");
        if (!transports && !git)
            transports = git = true;

        if (transports)
            await TransportBench.RunAsync(reps, Console.Out);
        if (git)
            await GitSyncBench.RunAsync(reps, Option(args, "--agent"), Console.Out);
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
