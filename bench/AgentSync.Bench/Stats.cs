namespace AgentSync.Bench;

/// <summary>Timings of one operation, in milliseconds, with nearest-rank percentiles.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> milliseconds)
    {
        _sorted = [.. milliseconds.Order()];
        if (_sorted.Length == 0)
            throw new ArgumentException("no samples", nameof(milliseconds));
    }

    public int Count => _sorted.Length;

    public double Median => Percentile(50);

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    public int CountAbove(double milliseconds) => _sorted.Length - _sorted.Count(x => x <= milliseconds);

    public double Percentile(double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }
}
