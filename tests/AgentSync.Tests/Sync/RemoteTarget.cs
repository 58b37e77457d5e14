using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Remote.SqliteFile;
using AgentSync.Tests.Support;
using AgentSync.Tests.Support.Gateway;

namespace AgentSync.Tests.Sync;

/// <summary>
/// A remote the real <c>agent</c> can be pointed at: its URL, the environment its credentials come from, and a way
/// to open it in-process for checks behind the CLI's back.
/// </summary>
public abstract class RemoteTarget : IAsyncLifetime
{
    public abstract string Url { get; }

    public virtual IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>();

    public abstract IRemote Open();

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}

public sealed class FileRemoteTarget : RemoteTarget
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("agent-sync-e2e-");

    public string Path => System.IO.Path.Combine(_directory.FullName, "team.db");

    public override string Url => $"file:{Path}";

    public override IRemote Open() => new SqliteFileRemote(Path);

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresRemoteTarget : RemoteTarget
{
    private PostgresServer? _server;
    private string _database = "";

    public override string Url => _server!.Url(new Npgsql.NpgsqlConnectionStringBuilder(_database).Database!);

    public override IRemote Open() => new PostgresRemote(Url);

    public override async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        _database = await _server.CreateDatabaseAsync("e2e");
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}

public sealed class RestRemoteTarget : RemoteTarget
{
    private PostgrestGateway? _gateway;

    public override string Url => _gateway!.Url.ToString().TrimEnd('/');

    public override IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["SUPABASE_SERVICE_ROLE_KEY"] = _gateway!.Jwt.ServiceRoleKey(),
    };

    public override IRemote Open() => new AgentSync.Remote.Rest.RestRemote(_gateway!.Url, AgentSync.Remote.Rest.RestCredentials.ServiceRole(_gateway.Jwt.ServiceRoleKey()));

    public override async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync("e2erest");
        _gateway = await PostgrestGateway.StartAsync(database);
    }

    public override async Task DisposeAsync()
    {
        if (_gateway is not null)
            await _gateway.DisposeAsync();
    }
}
