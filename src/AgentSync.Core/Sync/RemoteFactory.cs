using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Remote.Rest;
using AgentSync.Remote.SqliteFile;

namespace AgentSync.Sync;

/// <summary>
/// Turns the remote URL of sync.yaml into a transport. Drivers and HTTP are only loaded here, on the paths that talk
/// to a remote, so local commands start fast.
/// </summary>
public static class RemoteFactory
{
    public static IRemote Create(string url, string workspaceRoot, Identity identity)
    {
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["file:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
                path = path[2..];
            if (path.Length == 0)
                throw SyncException.Usage("remote 'file:' needs a path, e.g. file:../team-remote.db");
            return new SqliteFileRemote(Path.GetFullPath(path, workspaceRoot));
        }

        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return new PostgresRemote(url, identity.Email);
        if ((url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return RestRemote.FromEnvironment(uri);
        throw SyncException.Usage($"remote '{url}' is not understood; use file:PATH, postgresql://user@host:port/db or https://<ref>.supabase.co");
    }

    /// <summary>The cursor key of a remote: its URL as configured (no credentials are ever in it).</summary>
    public static string Key(string url) => url.Trim();
}
