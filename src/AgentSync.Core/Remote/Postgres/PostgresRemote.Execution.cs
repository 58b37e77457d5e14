using System.Data;
using System.Data.Common;
using Npgsql;

namespace AgentSync.Remote.Postgres;

public sealed partial class PostgresRemote
{
    /// <summary>Runs one function call on its own pooled connection; every failure leaves through <see cref="PostgresErrors"/>.</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, NpgsqlParameter[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await EachAsync(sql, parameters, CommandBehavior.Default, read, row =>
        {
            rows.Add(row);
            return Task.CompletedTask;
        }, cancellationToken);
        return rows;
    }

    /// <summary>
    /// Runs one function call on its own pooled connection and hands each row, once read, to <paramref name="each"/>
    /// before the next is read. Failures of the call leave through <see cref="PostgresErrors"/>; what
    /// <paramref name="each"/> throws is the caller's own and leaves as it is.
    /// </summary>
    /// <param name="behavior">SequentialAccess reads a row's columns off the buffer in order (<paramref name="read"/>
    /// must read them so) instead of buffering each whole row first.</param>
    private async Task EachAsync<T>(string sql, NpgsqlParameter[] parameters, CommandBehavior behavior, Func<DbDataReader, T> read, Func<T, Task> each, CancellationToken cancellationToken)
    {
        var inCaller = false;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(TraceComment() + sql, connection);
            command.Parameters.AddRange(parameters);
            await using var reader = await command.ExecuteReaderAsync(behavior, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = read(reader);
                inCaller = true;
                await each(row);
                inCaller = false;
            }
        }
        catch (Exception e) when (!inCaller && PostgresErrors.Translate(e, Describe, cancellationToken) is var translated && translated != e)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The caller's W3C traceparent as a leading SQL comment (the sqlcommenter convention), so a slow statement in
    /// pg_stat_activity or the server log leads back to the span that sent it. Empty when nothing is traced.
    /// </summary>
    private static string TraceComment() => System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity
        ? $"/*traceparent='{activity.Id}'*/ "
        : "";

    private async Task<T> ScalarAsync<T>(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(sql, parameters, r => r.IsDBNull(0) ? default! : r.GetFieldValue<T>(0), cancellationToken);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"{Describe} returned {rows.Count} rows for a scalar call");
    }
}
