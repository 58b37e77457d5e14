namespace AgentSync.Remote.Rest;

/// <summary>An HTTP answer that another attempt may turn into success (408, 429, 5xx); retried, then reported as unavailable.</summary>
internal sealed class TransientResponseException : Exception
{
    public TransientResponseException(int status, string message, TimeSpan? retryAfter)
        : base(message)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    public TransientResponseException() { }

    public TransientResponseException(string message) : base(message) { }

    public TransientResponseException(string message, Exception innerException) : base(message, innerException) { }

    public int Status { get; }

    public TimeSpan? RetryAfter { get; }
}
