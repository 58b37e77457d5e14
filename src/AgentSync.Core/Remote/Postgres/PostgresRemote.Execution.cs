using System.Data;
using System.Data.Common;
using System.Threading.Channels;
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
    /// <see cref="EachAsync"/> with the rows read and decoded on a task of their own, up to <see cref="ReadAhead"/>
    /// ahead of <paramref name="each"/>: for a pull page, reading a row off the socket (Npgsql, the text's UTF-8) costs
    /// about what applying it does, and on two cores the two overlap instead of adding up. The rows reach
    /// <paramref name="each"/> one at a time, in order, on the caller's flow. What <paramref name="each"/> throws leaves
    /// as it is, once the reading has stopped and the connection has been drained for the pool.
    /// </summary>
    private async Task ReadAheadAsync<T>(string sql, NpgsqlParameter[] parameters, CommandBehavior behavior, Func<DbDataReader, T> read, Func<T, Task> each, CancellationToken cancellationToken)
    {
        var rows = Channel.CreateBounded<T>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(() => ReadAllAsync(sql, parameters, behavior, read, rows.Writer, stop.Token, cancellationToken), CancellationToken.None);
        try
        {
            while (await rows.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (rows.Reader.TryRead(out var row))
                    await each(row);
            }
        }
        catch
        {
            // Only the hand-over is cancelled: the reader then ends, and disposing it reads the rest of the page off the
            // connection, which goes back to the pool usable. Its own end is not the failure to report.
            await stop.CancelAsync();
            await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        // The reading's own failure (already translated), if any.
        await reading;
    }

    private const int ReadAhead = 64;

    /// <summary>The reading side of <see cref="ReadAheadAsync"/>: <see cref="EachAsync"/> handing each row to the channel,
    /// its own failures translated there; a cancelled hand-over (<paramref name="stop"/>) leaves as the caller's.</summary>
    private async Task ReadAllAsync<T>(string sql, NpgsqlParameter[] parameters, CommandBehavior behavior, Func<DbDataReader, T> read, ChannelWriter<T> rows, CancellationToken stop, CancellationToken cancellationToken)
    {
        try
        {
            await EachAsync(sql, parameters, behavior, read, row => rows.WriteAsync(row, stop).AsTask(), cancellationToken);
        }
        finally
        {
            rows.TryComplete();
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
