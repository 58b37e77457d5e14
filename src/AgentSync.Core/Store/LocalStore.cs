using System.Globalization;
using System.Reflection;
using AgentSync.Errors;
using Microsoft.Data.Sqlite;

namespace AgentSync.Store;

/// <summary>
/// Owns <c>.agent/cache/agent.db</c>: the connection, the numbered forward-only migrations tracked with
/// <c>PRAGMA user_version</c>, WAL mode and write transactions. Writers take the lock up front (BEGIN IMMEDIATE) so two
/// <c>agent</c> processes queue behind each other instead of failing half-way; a wait past the busy timeout becomes
/// one clear message.
/// </summary>
public sealed partial class LocalStore : IAsyncDisposable, IDisposable
{
    /// <summary>SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE (sqlite3.h).</summary>
    private const int NoCheckpointOnClose = 1006;

    private static readonly string[] MigrationNames = ["0001_initial", "0002_sync", "0003_audit", "0004_blobs_rowid", "0005_writeback"];

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    private LocalStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The schema version this build writes; files at a lower version are migrated on open.</summary>
    public static int LatestVersion => MigrationNames.Length;

    public string Path { get; }

    public static TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public static async Task<LocalStore> OpenAsync(string path, CancellationToken cancellationToken, int? migrateTo = null)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        var store = new LocalStore(connection, path);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // No checkpoint when the last connection closes: every command is a process of its own, and each one copied
            // the WAL into the database and fsynced both on its way out (twice, with the audit record's own connection).
            // The WAL stays for the next process; SQLite checkpoints it once it passes 16,384 pages (64 MB), not the
            // default 1,000: a first push of 1,000 artifacts writes ~1,500, and its checkpoint in the middle (two fsyncs
            // and a copy of the cache) cost a push on the disk ~8 ms; now it comes once in many such commands. A commit
            // was never synced (synchronous=NORMAL): it is safe from a kill, and a power cut rolls the cache back to an
            // earlier consistent state; now that state can be several commands old rather than this command's start. Sync
            // recovers from that as from any rollback: change ids make a resend harmless, the cursor re-reads pages whose
            // files already match, the next scan records local edits again.
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, NoCheckpointOnClose, 1, out _);
            // temp_store: sorting 10,000 artifacts for a list otherwise spills to two files in /var/tmp on every run.
            await store.ExecuteAsync($"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", cancellationToken);
            await store.RunLockedAsync(() => store.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384;", cancellationToken));
            await store.MigrateAsync(migrateTo ?? LatestVersion, cancellationToken);
            return store;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            await store.DisposeAsync();
            throw SyncException.Usage($"{path} is not a valid agent-sync cache ({e.SqliteErrorCode switch { 26 => "not a database", _ => "corrupt" }}); move it away and run 'agent sync init' to rebuild it from the working tree", e);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken) =>
        Convert.ToInt32(await ScalarAsync("PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);

    private async Task MigrateAsync(int target, CancellationToken cancellationToken)
    {
        var current = await GetVersionAsync(cancellationToken);
        if (current > LatestVersion)
            throw SyncException.Usage($"{Path} was written by a newer agent (cache schema {current}, this agent knows {LatestVersion}); upgrade agent");
        if (current >= target)
            return;

        await using var scope = await BeginWriteAsync(cancellationToken);
        // Another process may have migrated while we waited for the write lock.
        current = await GetVersionAsync(cancellationToken);
        for (var version = current + 1; version <= target; version++)
        {
            await ExecuteAsync(ReadMigration(MigrationNames[version - 1]), cancellationToken);
            await ExecuteAsync($"PRAGMA user_version = {version}", cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
    }

    private static string ReadMigration(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"AgentSync.Store.Migrations.{name}.sql")
            ?? throw new InvalidOperationException($"migration {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Starts the one write transaction of this connection (BEGIN IMMEDIATE); dispose without commit rolls back.</summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
            throw new InvalidOperationException("a write transaction is already open on this store");
        await RunLockedAsync(() =>
        {
            _transaction = _connection.BeginTransaction(deferred: false);
            return Task.CompletedTask;
        });
        return CurrentWrite = new WriteScope(this);
    }

    /// <summary>The write transaction open on this store, if any: work that must land before it commits hooks in here.</summary>
    public WriteScope? CurrentWrite { get; private set; }

    /// <summary>Runs a statement of <see cref="Rows"/> with the same message for a lock held too long.</summary>
    private void RunLocked(RowStatement statement)
    {
        try
        {
            statement.Run();
        }
        catch (SqliteException e) when (IsLockHeld(e))
        {
            throw LockHeld(e);
        }
    }

    /// <summary>Runs a database step and turns "still locked after the busy timeout" into a message a user can act on.</summary>
    private async Task RunLockedAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (SqliteException e) when (IsLockHeld(e))
        {
            throw LockHeld(e);
        }
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED once the busy timeout has passed.</summary>
    private static bool IsLockHeld(SqliteException e) => e.SqliteErrorCode is 5 or 6;

    private SyncException LockHeld(SqliteException e) =>
        SyncException.Usage($"another agent process has held {Path} for more than {BusyTimeout.TotalSeconds:0} s; wait for it to finish and run the command again", e);

    /// <summary>
    /// The command for <paramref name="sql"/>, prepared once per connection and reused with fresh parameters: parsing the
    /// same few statements again for each of 1,000 artifacts was a visible share of a pull. The store owns the
    /// commands; callers never dispose them, but do dispose their readers before the same SQL runs again.
    /// </summary>
    private SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var command = Command(sql);
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        var command = Command(sql);
        object? result = null;
        await RunLockedAsync(async () => result = await command.ExecuteScalarAsync(cancellationToken));
        return result;
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        DisposeCommands();
        DisposeRowStatements();
        _connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
            await _transaction.DisposeAsync();
        DisposeCommands();
        DisposeRowStatements();
        await _connection.DisposeAsync();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }

    /// <summary>The open write transaction; commit it or dispose to roll back.</summary>
    public sealed class WriteScope : IAsyncDisposable
    {
        private readonly LocalStore _store;
        private readonly List<Func<CancellationToken, Task>> _beforeCommit = [];

        internal WriteScope(LocalStore store) => _store = store;

        /// <summary>Runs <paramref name="action"/> just before the commit (not on rollback), e.g. to flush files the
        /// committed rows describe or to record that they were not; an exception from it rolls the transaction back.</summary>
        public void BeforeCommit(Func<CancellationToken, Task> action) => _beforeCommit.Add(action);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            var transaction = _store._transaction ?? throw new InvalidOperationException("the transaction has already ended");
            foreach (var action in _beforeCommit)
                await action(cancellationToken);
            await _store.RunLockedAsync(() => transaction.CommitAsync(cancellationToken));
            await transaction.DisposeAsync();
            _store._transaction = null;
            _store.CurrentWrite = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_store.CurrentWrite == this)
                _store.CurrentWrite = null;
            if (_store._transaction is { } transaction)
            {
                _store._transaction = null;
                await transaction.RollbackAsync();
                await transaction.DisposeAsync();
            }
        }
    }
}
