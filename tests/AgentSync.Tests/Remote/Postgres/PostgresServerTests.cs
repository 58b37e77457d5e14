using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_fresh_database_has_the_supabase_roles_and_the_migration()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("harness");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select public.agent_sync_schema_version(), (select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator'))",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1, 4L), (reader.GetInt32(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task Databases_created_in_parallel_are_all_usable()
    {
        var server = await PostgresServer.SharedAsync();

        var connectionStrings = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => server.CreateDatabaseAsync($"parallel{i}")));

        Assert.Equal(4, connectionStrings.Distinct().Count());
    }
}
