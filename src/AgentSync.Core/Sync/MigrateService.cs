using AgentSync.Config;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>Schema versions before and after <c>agent sync migrate</c>; equal numbers mean nothing had to change.</summary>
public sealed record MigrationReport(int CacheFrom, int CacheTo, string? Remote, int? RemoteFrom, int? RemoteTo, bool DryRun);

/// <summary>
/// <c>agent sync migrate</c>: brings the local cache to this agent's schema (every command does that on open; this
/// says so), and a configured Postgres remote that has no agent-sync schema yet to the migration this agent needs,
/// when its user may. Other remotes are checked and reported: a Supabase project is migrated with
/// <c>supabase db push</c>, and the SQLite-file remote creates its schema itself.
/// </summary>
public static class MigrateService
{
    public static async Task<MigrationReport> RunAsync(AgentWorkspace workspace, bool dryRun, CancellationToken cancellationToken)
    {
        var cacheFrom = await CacheVersionAsync(workspace.DatabasePath, cancellationToken);
        var cacheTo = dryRun ? LocalStore.LatestVersion : cacheFrom;
        if (!dryRun)
        {
            await using var store = await LocalStore.OpenAsync(workspace.DatabasePath, cancellationToken);
            cacheTo = await store.GetVersionAsync(cancellationToken);
        }

        var config = await SyncConfigFile.LoadAsync(workspace.ConfigPath, cancellationToken);
        if (config.Remote is not { } url)
            return new MigrationReport(cacheFrom, cacheTo, null, null, null, dryRun);

        var timeout = TimeSpan.FromSeconds(config.TimeoutSeconds);
        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            var (from, to) = await PostgresMigrator.MigrateAsync(url, dryRun, timeout, cancellationToken);
            return new MigrationReport(cacheFrom, cacheTo, PostgresUrl.Parse(url).Describe, from, to, dryRun);
        }

        // The other transports refuse a schema they do not speak on connect, with the step to take.
        await using var remote = RemoteFactory.Create(url, workspace.Root, Identity.Resolve(workspace.Root), timeout);
        await remote.ConnectAsync(cancellationToken);
        return new MigrationReport(cacheFrom, cacheTo, remote.Describe, RemoteSchema.Version, RemoteSchema.Version, dryRun);
    }

    /// <summary>The cache's schema version as it is on disk, read without migrating it.</summary>
    private static async Task<int> CacheVersionAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            return 0; // not created yet: opening it to look would create it, even in a dry run
        await using var store = await LocalStore.OpenAsync(path, cancellationToken, migrateTo: 0);
        return await store.GetVersionAsync(cancellationToken);
    }
}
