namespace AgentSync.Remote;

/// <summary>
/// The one mapping from a server's SQLSTATE (raised by the migration's functions, seen directly by Npgsql or in
/// PostgREST's error JSON) to what the client does about it. The migration raises:
/// PT400 malformed input, PT404 unknown project or not a member, PT426 schema mismatch, 42501 permission.
/// </summary>
public static class RemoteErrors
{
    public const string Invalid = "PT400";
    public const string NotFound = "PT404";
    public const string SchemaMismatch = "PT426";
    public const string InsufficientPrivilege = "42501";

    /// <summary>Null when the state is not a permanent refusal (the caller then treats it as transient).</summary>
    public static RemoteException? FromSqlState(string? sqlState, string message, Exception? inner = null)
    {
        RemoteErrorKind? kind = sqlState switch
        {
            Invalid => RemoteErrorKind.Invalid,
            NotFound => RemoteErrorKind.NotFound,
            SchemaMismatch => RemoteErrorKind.SchemaMismatch,
            InsufficientPrivilege or "28000" or "28P01" or "PGRST301" or "PGRST302" => RemoteErrorKind.Unauthorized,
            // Data exceptions (class 22) and integrity violations (class 23) are bad input, not outages.
            _ when sqlState is { Length: 5 } && (sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal)) => RemoteErrorKind.Invalid,
            // PostgREST's own request errors (unknown function, bad arguments).
            _ when sqlState is not null && sqlState.StartsWith("PGRST", StringComparison.Ordinal) => RemoteErrorKind.Invalid,
            _ => null,
        };
        return kind is { } k ? new RemoteException(k, message, sqlState, inner) : null;
    }
}
