using System.Net.Sockets;
using Npgsql;

namespace AgentSync.Remote.Postgres;

/// <summary>
/// The Postgres transport's one translation of driver failures: SQLSTATEs through <see cref="RemoteErrors.FromSqlState"/>,
/// everything that means "try again later" to <see cref="RemoteUnavailableException"/>. Messages carry the server's
/// text and the remote's <c>Describe</c>, never the connection string.
/// </summary>
internal static class PostgresErrors
{
    public static Exception Translate(Exception error, string describe, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return error;

        switch (error)
        {
            case PostgresException pg:
                return FromPostgres(pg, describe);
            case NpgsqlException { InnerException: TimeoutException } or TimeoutException:
                return new RemoteUnavailableException($"{describe} did not answer in time", error);
            case NpgsqlException { InnerException: SocketException socket }:
                return new RemoteUnavailableException($"{describe} is unreachable: {socket.SocketErrorCode}", error);
            case NpgsqlException or SocketException or IOException:
                return new RemoteUnavailableException($"{describe} is unreachable: {error.Message}", error);
            case OperationCanceledException:
                // Cancelled without our token: the driver gave up (timeout).
                return new RemoteUnavailableException($"{describe} did not answer in time", error);
            default:
                return error;
        }
    }

    private static Exception FromPostgres(PostgresException error, string describe)
    {
        var message = string.IsNullOrEmpty(error.Hint) ? error.MessageText : $"{error.MessageText} ({error.Hint})";
        switch (error.SqlState)
        {
            // The functions or their schema are missing: the migration was never applied to this database.
            case PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable:
                return new RemoteException(RemoteErrorKind.SchemaMismatch,
                    $"{describe} has no agent-sync schema ({error.MessageText}): apply {RemoteSchema.Migration} (supabase db push) and retry",
                    error.SqlState, error);
            // The schema check every function makes first (push and pull leave it to them): say which remote.
            case RemoteErrors.SchemaMismatch:
                return new RemoteException(RemoteErrorKind.SchemaMismatch, $"{describe}: {message}", error.SqlState, error);
        }

        if (RemoteErrors.FromSqlState(error.SqlState, message, error) is { } refusal)
            return refusal;

        // Not a permanent refusal: connection loss (08), shutdown (57P0x), resources (53), serialization (40),
        // statement timeout (57014) and anything unexpected are retried later with the same change ids.
        return new RemoteUnavailableException($"{describe} failed transiently: {message} (SQLSTATE {error.SqlState})", error);
    }
}
