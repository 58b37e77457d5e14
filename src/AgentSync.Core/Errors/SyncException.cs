namespace AgentSync.Errors;

/// <summary>
/// The one exception users see: its message is a single line that says what went wrong and what to do,
/// and its exit code is one of <see cref="ExitCodes"/>. The CLI maps it to stderr in one place.
/// </summary>
public sealed class SyncException : Exception
{
    public SyncException(int exitCode, string message, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public SyncException() : this(ExitCodes.Usage, "agent-sync failed") { }

    public SyncException(string message) : this(ExitCodes.Usage, message) { }

    public SyncException(string message, Exception innerException) : this(ExitCodes.Usage, message, innerException) { }

    public int ExitCode { get; }

    public static SyncException Usage(string message, Exception? inner = null) => new(ExitCodes.Usage, message, inner);

    /// <summary>The remote could not be reached; the work stays queued for the next push or pull.</summary>
    public static SyncException Unreachable(string message, Exception? inner = null) => new(ExitCodes.Queued, message, inner);
}
