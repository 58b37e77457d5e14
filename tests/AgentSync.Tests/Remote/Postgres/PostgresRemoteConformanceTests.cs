using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class ConformanceDatabase : PostgresDatabase
{
    protected override string Prefix => "conformance";
}

/// <summary>The shared remote contract, run against the migration on a real PostgreSQL through <see cref="PostgresRemote"/>.</summary>
public sealed class PostgresRemoteConformanceTests(ConformanceDatabase database) : RemoteConformanceTests, IClassFixture<ConformanceDatabase>
{
    protected override Task<IRemote> OpenRemoteAsync() => Task.FromResult<IRemote>(new PostgresRemote(database.Url()));

    protected override async Task SetRemoteSchemaVersionAsync(int version)
    {
        await using var command = database.Superuser.CreateCommand("update agent_sync.schema_version set version = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await command.ExecuteNonQueryAsync();
    }
}
