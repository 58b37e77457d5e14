using Npgsql;

namespace AgentSync.Tests.Support;

/// <summary>
/// A class fixture: one fresh database (bootstrap + migration applied) on the shared server for one test class, so
/// classes run in parallel without seeing each other's rows or schema-version changes.
/// </summary>
public abstract class PostgresDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _superuser;

    public PostgresServer Server { get; private set; } = null!;

    public string Name { get; private set; } = "";

    /// <summary>Superuser connection string to this database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A pooled superuser data source, for assertions and setup that bypass the functions.</summary>
    public NpgsqlDataSource Superuser => _superuser ?? throw new InvalidOperationException("the database is not created yet");

    protected abstract string Prefix { get; }

    /// <summary>postgresql:// URL of this database for a role (the superuser unless told otherwise).</summary>
    public string Url(string user = PostgresServer.Superuser) => Server.Url(Name, user);

    public virtual async Task InitializeAsync()
    {
        Server = await PostgresServer.SharedAsync();
        ConnectionString = await Server.CreateDatabaseAsync(Prefix);
        Name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        _superuser = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_superuser is not null)
            await _superuser.DisposeAsync();
    }
}
