using System.Globalization;
using AgentSync.Errors;
using Microsoft.Data.Sqlite;

namespace AgentSync.Remote.SqliteFile;

public sealed partial class SqliteFileRemote
{
    /// <summary>Runs a read on the instance's connection; WAL gives it a consistent snapshot without blocking writers.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return read(Open());
        }
        catch (SqliteException e) when (Translate(e) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction: all of it commits or none of it does.
    /// Issued as SQL rather than through SqliteTransaction so the lock mode is explicit where it matters.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = Open();
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                var result = write(connection);
                Execute(connection, "COMMIT");
                return result;
            }
            catch
            {
                Rollback(connection);
                throw;
            }
        }
        catch (SqliteException e) when (Translate(e) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens the file once per instance, creating the schema in a new or empty file and checking its version.</summary>
    private SqliteConnection Open()
    {
        if (_connection is not null)
            return _connection;
        if (Directory.Exists(_path))
            throw SyncException.Usage($"{Describe} is a directory; point the remote at a file, for example file:{Path.Combine(_path, "remote.db")}");

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The instance keeps its connection for its lifetime; a pool would only keep the file open after disposal.
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy statement for this many seconds (0 would mean forever).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_busyTimeout.TotalSeconds)),
        }.ToString());
        try
        {
            connection.Open();
            // The first statement reads the header: this is where a file that is not SQLite is found out. FULL syncs
            // the WAL at every commit: an accepted change is on disk before its result is returned. A cache of up to
            // 64 MB keeps a 1,000 x 6 KB batch in memory until it commits, and the checkpoint waits for 64 MB of WAL
            // so that a big push does not also copy the previous ones into the database file.
            Execute(connection, $"PRAGMA busy_timeout = {(long)_busyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384");
            var version = ReadSchemaVersion(connection) ?? CreateSchema(connection);
            RemoteSchema.Check(version, Describe);
            _info = new RemoteInfo(Describe, version, Environment.UserName, ServiceRole: true);
            _connection = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static int? ReadSchemaVersion(SqliteConnection connection)
    {
        // Two statements: SQLite resolves table names when it compiles, so one query cannot ask about a table that
        // may not exist.
        using (var exists = Command(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'"))
        {
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                return null;
        }
        using var select = Command(connection, "SELECT version FROM schema_version WHERE id = 1");
        return select.ExecuteScalar() is long version ? (int)version : null;
    }

    /// <summary>
    /// Creates the schema under the write lock, re-checking there: another process may have created it meanwhile,
    /// and a SQLite file that holds someone else's tables is refused rather than mixed with ours.
    /// </summary>
    private int CreateSchema(SqliteConnection connection)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            if (ReadSchemaVersion(connection) is { } existing)
            {
                Execute(connection, "COMMIT");
                return existing;
            }
            using (var tables = Command(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
            {
                if (Convert.ToInt64(tables.ExecuteScalar(), CultureInfo.InvariantCulture) != 0)
                    throw SyncException.Usage($"{Describe} is a SQLite database but not an agent-sync remote (it has no schema_version table); point the remote at a new or empty file");
            }
            Execute(connection, Schema);
            using (var insert = Command(connection, "INSERT INTO schema_version (id, version) VALUES (1, $version)"))
            {
                insert.Parameters.AddWithValue("$version", RemoteSchema.Version);
                insert.ExecuteNonQuery();
            }
            Execute(connection, "COMMIT");
            return RemoteSchema.Version;
        }
        catch
        {
            Rollback(connection);
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static void Rollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (some errors end the transaction themselves); the original error is what matters.
        }
    }

    /// <summary>
    /// The one mapping from SQLite result codes to what the user does about them; null leaves the exception as it is
    /// (an unexpected error is a bug and keeps its stack trace for the log).
    /// </summary>
    private Exception? Translate(SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
            new RemoteUnavailableException($"{Describe} stayed locked by another writer for {_busyTimeout.TotalSeconds:0.#} s", e),
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT =>
            SyncException.Usage($"{Describe} is not a usable agent-sync remote: the file is not a SQLite database or is damaged ({e.Message.TrimEnd('.')}); restore it from a backup or point the remote at another file", e),
        SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_AUTH =>
            SyncException.Usage($"cannot open {Describe} for reading and writing ({e.Message.TrimEnd('.')}); check that its directory exists and that you may write the file and its directory", e),
        SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_IOERR =>
            SyncException.Usage($"cannot write {Describe} ({e.Message.TrimEnd('.')}); check the disk holding it", e),
        _ => null,
    };
}
