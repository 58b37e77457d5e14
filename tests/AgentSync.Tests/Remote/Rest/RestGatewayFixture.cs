using AgentSync.Remote.Rest;
using AgentSync.Tests.Support;
using AgentSync.Tests.Support.Gateway;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>A database of the shared test server with the migration applied, and a PostgREST gateway in front of it; one per test class.</summary>
public sealed class RestGatewayFixture : IAsyncLifetime
{
    private PostgrestGateway? _gateway;

    /// <summary>A superuser connection string to the class's database (for setup and checks behind the gateway's back).</summary>
    public string Database { get; private set; } = "";

    public PostgrestGateway Gateway => _gateway ?? throw new InvalidOperationException("the fixture is not initialized");

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        Database = await server.CreateDatabaseAsync("rest");
        _gateway = await PostgrestGateway.StartAsync(Database);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
            await _gateway.DisposeAsync();
    }

    public RestRemote ServiceRemote(RestRemoteOptions? options = null) =>
        new(Gateway.Url, RestCredentials.ServiceRole(Gateway.Jwt.ServiceRoleKey()), options);

    /// <summary>A signed-in user: the anon key plus their own access token, so row-level security applies.</summary>
    public RestRemote UserRemote(string accessToken) => new(Gateway.Url, new RestCredentials(Gateway.Jwt.AnonKey(), accessToken));
}
