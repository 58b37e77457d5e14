using AgentSync.Remote;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>The shared contract through HTTP: RestRemote with the service role key, the gateway, the migration's functions.</summary>
public sealed class RestRemoteConformanceTests(RestGatewayFixture fixture) : RemoteConformanceTests, IClassFixture<RestGatewayFixture>
{
    protected override Task<IRemote> OpenRemoteAsync() => Task.FromResult<IRemote>(fixture.ServiceRemote());

    protected override Task SetRemoteSchemaVersionAsync(int version) =>
        PostgresServer.ExecuteScriptAsync(fixture.Database, $"update agent_sync.schema_version set version = {version}");
}
