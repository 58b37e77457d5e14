namespace AgentSync.Remote;

/// <summary>
/// The remote refused a request for good (bad input, permission, schema): retrying the same request will fail the same
/// way. Transports map their native errors (SQLSTATE, PostgREST JSON, HTTP status) to this in one place each.
/// </summary>
public sealed class RemoteException : Exception
{
    public RemoteException(RemoteErrorKind kind, string message, string? code = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
    }

    public RemoteException() : this(RemoteErrorKind.Invalid, "the remote refused the request") { }

    public RemoteException(string message) : this(RemoteErrorKind.Invalid, message) { }

    public RemoteException(string message, Exception innerException) : this(RemoteErrorKind.Invalid, message, null, innerException) { }

    public RemoteErrorKind Kind { get; }

    /// <summary>The native code: a SQLSTATE or PostgREST code such as P0001 or PGRST202.</summary>
    public string? Code { get; }
}

public enum RemoteErrorKind
{
    /// <summary>Malformed or out-of-range input (unknown kind, bad id, too large, wrong types). Exit 2.</summary>
    Invalid,

    /// <summary>401/403 or RLS: the credentials do not allow this. Exit 2, never retried.</summary>
    Unauthorized,

    /// <summary>The remote's schema is older or newer than this client. Exit 2 with the migration to apply.</summary>
    SchemaMismatch,

    /// <summary>The project does not exist or the caller is not a member of it.</summary>
    NotFound,
}
