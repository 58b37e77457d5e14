using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentSync.Tests.Sync;

/// <summary><c>agent sync migrate</c> through the real executable: the local cache and a Postgres remote.</summary>
public sealed partial class MigrateTests
{
    [Fact]
    public async Task A_supabase_database_without_the_schema_is_migrated_once_and_then_syncs()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("migrate", bootstrap: true, migrate: false);
        var url = server.Url(new NpgsqlConnectionStringBuilder(connectionString).Database!);
        using var workspace = new TempWorkspace();
        await ExpectAsync(workspace, 0, "sync", "init");
        SetRemote(workspace, url);

        var dryRun = await ExpectAsync(workspace, 0, "sync", "migrate", "--dry-run");
        Assert.Contains($"would apply {RemoteSchema.Migration}", dryRun.Out, StringComparison.Ordinal);
        Assert.False(await HasSchemaAsync(connectionString));

        var migrated = await ExpectAsync(workspace, 0, "sync", "migrate");
        Assert.Contains($"schema 0 -> {RemoteSchema.Version}", migrated.Out, StringComparison.Ordinal);
        Assert.Contains($"local cache: schema {LocalStore.LatestVersion} (up to date)", migrated.Out, StringComparison.Ordinal);
        Assert.True(await HasSchemaAsync(connectionString));

        var again = await ExpectAsync(workspace, 0, "sync", "migrate", "--json");
        var remote = JsonDocument.Parse(again.Out).RootElement.GetProperty("remote");
        Assert.Equal(RemoteSchema.Version, remote.GetProperty("from").GetInt32());
        Assert.Equal(RemoteSchema.Version, remote.GetProperty("to").GetInt32());

        await ExpectAsync(workspace, 0, "sync", "init", "--remote", url, "--project", "migrated");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-after-migrate.md", "# INFRA-001: After migrate\n\n## State\n\nDRAFT\n");
        var push = await ExpectAsync(workspace, 0, "sync", "push", "--json");
        Assert.Equal(1, JsonDocument.Parse(push.Out).RootElement.GetProperty("pushed").GetArrayLength());
    }

    [Fact]
    public async Task A_plain_postgres_database_is_refused_and_nothing_is_created()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("plain", bootstrap: false, migrate: false);
        using var workspace = new TempWorkspace();
        await ExpectAsync(workspace, 0, "sync", "init");
        SetRemote(workspace, server.Url(new NpgsqlConnectionStringBuilder(connectionString).Database!));

        var result = await ExpectAsync(workspace, 2, "sync", "migrate");

        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: postgresql://", line, StringComparison.Ordinal);
        Assert.Contains("is not a Supabase database", line, StringComparison.Ordinal);
        Assert.False(await HasSchemaAsync(connectionString));
    }

    [Fact]
    public async Task An_old_local_cache_is_brought_up_and_the_versions_are_reported()
    {
        using var workspace = new TempWorkspace();
        await ExpectAsync(workspace, 0, "sync", "init");
        var database = workspace.PathOf(".agent/cache/agent.db");
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, "agent.db*"))
            File.Delete(file);
        await using (var old = await LocalStore.OpenAsync(database, CancellationToken.None, migrateTo: 1))
            Assert.Equal(1, await old.GetVersionAsync(CancellationToken.None));
        SqliteConnection.ClearAllPools();

        var dryRun = await ExpectAsync(workspace, 0, "sync", "migrate", "--dry-run", "--json");
        var result = await ExpectAsync(workspace, 0, "sync", "migrate", "--json");

        var wouldBe = JsonDocument.Parse(dryRun.Out).RootElement;
        Assert.Equal(1, wouldBe.GetProperty("cache").GetProperty("from").GetInt32());
        Assert.True(wouldBe.GetProperty("dry_run").GetBoolean());
        var document = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(1, document.GetProperty("cache").GetProperty("from").GetInt32());
        Assert.Equal(LocalStore.LatestVersion, document.GetProperty("cache").GetProperty("to").GetInt32());
        Assert.False(document.TryGetProperty("remote", out _));
        await using var store = await LocalStore.OpenAsync(database, CancellationToken.None, migrateTo: 0);
        Assert.Equal(LocalStore.LatestVersion, await store.GetVersionAsync(CancellationToken.None));
    }

    private static async Task<CliResult> ExpectAsync(TempWorkspace workspace, int exitCode, params string[] args)
    {
        var result = await AgentCli.RunAsync(workspace.Root, args);
        Assert.True(result.ExitCode == exitCode, $"agent {string.Join(' ', args)}: expected exit {exitCode}\n{result}");
        return result;
    }

    /// <summary>As a teammate's sync.yaml arrives through Git: the remote is set, nothing was connected yet.</summary>
    private static void SetRemote(TempWorkspace workspace, string url)
    {
        var config = workspace.Read(".agent/etc/sync.yaml");
        var updated = RemoteLine().Replace(config, $"remote: {url}", 1);
        Assert.NotEqual(config, updated);
        workspace.Write(".agent/etc/sync.yaml", updated);
    }

    private static async Task<bool> HasSchemaAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select to_regnamespace('agent_sync') is not null", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"^remote:.*$", RegexOptions.Multiline)]
    private static partial Regex RemoteLine();
}
