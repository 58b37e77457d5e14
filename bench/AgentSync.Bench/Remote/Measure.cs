using System.Diagnostics;
using System.Globalization;

namespace AgentSync.Bench.Remote;

/// <summary>Medians and Markdown rows; figures are printed, never asserted.</summary>
internal static class Measure
{
    public static async Task<double> SecondsAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static string Ms(double seconds) => (seconds * 1000).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double value, double reference) => (value / reference).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";
}
