using System.Globalization;

namespace AgentSync.Bench;

/// <summary>The command line of the bench: how many artifacts, how hard to try, and where the tools are.</summary>
internal sealed record BenchOptions(int Count, bool Quick, string? AgentPath, string? CorpusPath, bool Keep)
{
    public const string Usage = "usage: AgentSync.Bench [--count N] [--quick] [--agent PATH] [--corpus DIR] [--keep]";

    /// <summary>Runs of each whole process after the warm-up.</summary>
    public int ProcessRuns => Quick ? 3 : 10;

    /// <summary>Single-artifact operations timed in process after the warm-up.</summary>
    public int OpIterations => Quick ? 500 : 5000;

    /// <summary>Whole-table operations (list, status) timed in process after the warm-up.</summary>
    public int ScanIterations => Quick ? 5 : 30;

    public static BenchOptions Parse(string[] args)
    {
        int? count = null;
        var quick = false;
        var keep = false;
        string? agent = null, corpus = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count":
                    count = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    if (count <= 0)
                        throw new ArgumentException("--count must be a positive number of artifacts");
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--agent":
                    agent = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--corpus":
                    corpus = Path.GetFullPath(Value(args, ref i));
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new BenchOptions(count ?? (quick ? 1000 : 10_000), quick, agent, corpus, keep);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
