using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace AgentSync.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster per test process: initdb into a fresh temporary directory, pg_ctl start on a free
/// loopback port with trust authentication, stopped and deleted when the process exits. Test classes get isolation
/// from a database each (<see cref="CreateDatabaseAsync"/>), not from a server each, so start-up is paid once.
/// </summary>
public sealed partial class PostgresServer
{
    /// <summary>The cluster's superuser; initdb is told this name so it does not depend on who runs the tests.</summary>
    public const string Superuser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    // Roles are cluster-wide: two databases bootstrapping at once would race on CREATE ROLE.
    private readonly SemaphoreSlim _bootstrapGate = new(1, 1);
    private readonly PostgresCluster _cluster;

    private PostgresServer(PostgresCluster cluster) => _cluster = cluster;

    public int Port => _cluster.Port;

    /// <summary>The process-wide server, started on first use; every later caller awaits the same start.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>An Npgsql connection string for a role of this cluster (trust authentication: no password).</summary>
    public string ConnectionString(string database, string user) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = user,
        Timeout = 15,
        CommandTimeout = 60,
        ApplicationName = "agent-sync-tests",
        // Tests open many short-lived data sources; keep idle connections from piling up against max_connections.
        ConnectionIdleLifetime = 10,
        MaxPoolSize = 40,
    }.ConnectionString;

    /// <summary>A postgresql:// URL for <see cref="AgentSync.Remote.Postgres.PostgresRemote"/>.</summary>
    public string Url(string database, string user = Superuser) => $"postgresql://{user}@127.0.0.1:{Port}/{database}";

    /// <summary>
    /// Creates a fresh database, applies the Supabase bootstrap (roles, auth schema) and then the agent-sync migration,
    /// and returns a superuser connection string to it. Without <paramref name="migrate"/> the agent-sync schema is left
    /// out; without <paramref name="bootstrap"/> the database is a plain Postgres one (no Supabase roles or auth).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix, bool bootstrap = true, bool migrate = true)
    {
        var name = DatabaseName(prefix);
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres", Superuser)))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = ConnectionString(name, Superuser);
        if (!bootstrap)
            return connectionString;
        await _bootstrapGate.WaitAsync();
        try
        {
            await ExecuteScriptAsync(connectionString, SqlScripts.SupabaseBootstrap());
        }
        finally
        {
            _bootstrapGate.Release();
        }

        if (migrate)
            await ExecuteScriptAsync(connectionString, SqlScripts.AgentSyncMigration());
        return connectionString;
    }

    /// <summary>Runs a script of many statements (dollar-quoted bodies included) in one round trip.</summary>
    public static async Task ExecuteScriptAsync(string connectionString, string script)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(script, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string DatabaseName(string prefix)
    {
        var clean = UnsafeNameCharacters().Replace(prefix.ToLowerInvariant(), "_");
        if (clean.Length > 40)
            clean = clean[..40];
        return $"{clean}_{Guid.NewGuid():N}"[..Math.Min(63, clean.Length + 13)];
    }

    private static async Task<PostgresServer> StartAsync()
    {
        // The cluster stops and deletes itself when this process exits (see PostgresCluster.StartWatchdog).
        return new PostgresServer(await PostgresCluster.StartAsync());
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex UnsafeNameCharacters();
}
