using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentSync.Store;

public sealed partial class LocalStore
{
    private readonly Dictionary<string, RowStatement> _rowStatements = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="sql"/> prepared once on SQLite's own handle, its parameters bound by position. For the rows a pull
    /// page or a recording writes a thousand times over: SqliteCommand looks every parameter up by name and allocates a
    /// parameter and a UTF-8 copy of every value on each run, which was a third of a pull's time spent in the cache.
    /// It runs on the same connection, so inside the same transaction as everything else.
    /// </summary>
    private RowStatement Rows(string sql)
    {
        if (!_rowStatements.TryGetValue(sql, out var statement))
        {
            var rc = raw.sqlite3_prepare_v3(_connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out var handle, out _);
            if (rc != raw.SQLITE_OK)
            {
                handle.Dispose();
                throw Failure(_connection.Handle!, rc);
            }

            statement = new RowStatement(_connection.Handle!, handle);
            _rowStatements.Add(sql, statement);
        }

        return statement;
    }

    private static SqliteException Failure(sqlite3 db, int rc) =>
        new(raw.sqlite3_errmsg(db).utf8_to_string() ?? $"SQLite error {rc}", rc, raw.sqlite3_extended_errcode(db));

    /// <summary>Reads through a positional statement, with the message for a cache another process holds.</summary>
    private T? ReadLocked<T>(RowStatement statement, Func<RowStatement, T> read)
        where T : class => Locked(() => statement.First(read));

    private List<T> ReadAllLocked<T>(RowStatement statement, Func<RowStatement, T> read) => Locked(() => statement.All(read));

    private T Locked<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SqliteException e) when (IsLockHeld(e))
        {
            throw LockHeld(e);
        }
    }

    private void DisposeRowStatements()
    {
        foreach (var statement in _rowStatements.Values)
            statement.Dispose();
        _rowStatements.Clear();
    }

    /// <summary>A row's columns (0-based), read from a positional statement or a SqliteDataReader alike.</summary>
    private interface IRow
    {
        bool IsNull(int column);

        string String(int column);

        long Int64(int column);
    }

    private readonly struct ReaderRow(SqliteDataReader reader) : IRow
    {
        public bool IsNull(int column) => reader.IsDBNull(column);

        public string String(int column) => reader.GetString(column);

        public long Int64(int column) => reader.GetInt64(column);
    }

    /// <summary>One statement's bindings (1-based, in the order of the SQL's parameters) and its run to completion.</summary>
    private sealed class RowStatement(sqlite3 db, sqlite3_stmt handle) : IRow, IDisposable
    {
        /// <summary>Values up to this many UTF-8 bytes are encoded on the stack; longer ones in a pooled buffer.</summary>
        private const int StackBytes = 512;

        public RowStatement Text(int index, string? value)
        {
            if (value is null)
                return Null(index);
            var most = Encoding.UTF8.GetMaxByteCount(value.Length);
            byte[]? pooled = null;
            var buffer = most <= StackBytes ? stackalloc byte[StackBytes] : (pooled = ArrayPool<byte>.Shared.Rent(most));
            try
            {
                // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer goes back to the pool at once.
                Check(raw.sqlite3_bind_text(handle, index, buffer[..Encoding.UTF8.GetBytes(value, buffer)]));
            }
            finally
            {
                if (pooled is not null)
                    ArrayPool<byte>.Shared.Return(pooled);
            }

            return this;
        }

        /// <summary>Text the caller holds as UTF-8 already (a file's bytes): stored as TEXT, like any string.</summary>
        public RowStatement Utf8(int index, ReadOnlySpan<byte> value)
        {
            Check(raw.sqlite3_bind_text(handle, index, value));
            return this;
        }

        public RowStatement Integer(int index, long? value)
        {
            Check(value is { } number ? raw.sqlite3_bind_int64(handle, index, number) : raw.sqlite3_bind_null(handle, index));
            return this;
        }

        public RowStatement Null(int index)
        {
            Check(raw.sqlite3_bind_null(handle, index));
            return this;
        }

        /// <summary>Runs the statement and reads its first row with <paramref name="read"/>, or returns null when there is
        /// none; clears it for the next run, also when it fails.</summary>
        public T? First<T>(Func<RowStatement, T> read)
            where T : class => Read(read, 1) is [var row] ? row : null;

        /// <summary>Runs the statement and reads every row with <paramref name="read"/>; clears it for the next run, also
        /// when it fails.</summary>
        public List<T> All<T>(Func<RowStatement, T> read) => Read(read, int.MaxValue);

        private List<T> Read<T>(Func<RowStatement, T> read, int limit)
        {
            var rows = new List<T>(Math.Min(limit, 16));
            try
            {
                int rc;
                while (rows.Count < limit && (rc = raw.sqlite3_step(handle)) != raw.SQLITE_DONE)
                {
                    if (rc != raw.SQLITE_ROW)
                        throw Failure(db, rc);
                    rows.Add(read(this));
                }

                return rows;
            }
            finally
            {
                raw.sqlite3_reset(handle);
                raw.sqlite3_clear_bindings(handle);
            }
        }

        /// <summary>The current row's columns, 0-based (bindings are 1-based).</summary>
        public bool IsNull(int column) => raw.sqlite3_column_type(handle, column) == raw.SQLITE_NULL;

        public string String(int column) => raw.sqlite3_column_text(handle, column).utf8_to_string() ?? "";

        public long Int64(int column) => raw.sqlite3_column_int64(handle, column);

        /// <summary>Runs the statement (one that returns no rows) and clears it for the next run, also when it fails.</summary>
        public void Run()
        {
            var rc = raw.sqlite3_step(handle);
            raw.sqlite3_reset(handle);
            raw.sqlite3_clear_bindings(handle);
            if (rc != raw.SQLITE_DONE)
                throw Failure(db, rc);
        }

        public void Dispose() => handle.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                raw.sqlite3_clear_bindings(handle);
                throw Failure(db, rc);
            }
        }
    }
}
