namespace AgentSync.Remote.Rest;

/// <summary>
/// Timeouts, retries and batch limits of <see cref="RestRemote"/>. The defaults suit Supabase: the authenticated role has
/// an 8 s statement timeout, so one push request carries at most <see cref="MaxBatchItems"/> items and about
/// <see cref="MaxRequestBytes"/> of JSON.
/// </summary>
public sealed record RestRemoteOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One attempt, from sending the request to reading the whole response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for transient failures only (connection, timeout, 408, 429, 5xx).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Items per push request; a larger batch is split into several requests.</summary>
    public int MaxBatchItems { get; init; } = 500;

    /// <summary>Approximate JSON size per push request; an item larger than this travels alone.</summary>
    public int MaxRequestBytes { get; init; } = 4 * 1024 * 1024;

    public static RestRemoteOptions Default { get; } = new();
}
