using AgentSync.Remote;
using AgentSync.Remote.SqliteFile;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Remote.SqliteFile;

/// <summary>The shared contract against a <c>file:</c> remote; one file per class, one project per test.</summary>
public sealed class SqliteFileRemoteConformanceTests(TemporaryRemoteFile file)
    : RemoteConformanceTests, IClassFixture<TemporaryRemoteFile>
{
    protected override Task<IRemote> OpenRemoteAsync() => Task.FromResult<IRemote>(new SqliteFileRemote(file.Path));

    protected override async Task SetRemoteSchemaVersionAsync(int version)
    {
        // The first test of the class may run before the file exists; connecting creates it.
        await using (var remote = new SqliteFileRemote(file.Path))
        {
            try
            {
                await remote.ConnectAsync(CancellationToken.None);
            }
            catch (AgentSync.Errors.SyncException)
            {
                // Already set to another version by an earlier call: the file exists, which is all this needs.
            }
        }
        await using var connection = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE schema_version SET version = $version";
        update.Parameters.AddWithValue("$version", version);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }
}
