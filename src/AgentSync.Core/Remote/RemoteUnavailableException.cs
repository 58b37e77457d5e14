namespace AgentSync.Remote;

/// <summary>
/// The remote could not be reached or answered with a transient failure even after the transport's own retries
/// (connection refused, DNS, timeout, 5xx). Work is queued and the command exits 75.
/// </summary>
public sealed class RemoteUnavailableException : Exception
{
    public RemoteUnavailableException() : base("the remote is unreachable") { }

    public RemoteUnavailableException(string message) : base(message) { }

    public RemoteUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
