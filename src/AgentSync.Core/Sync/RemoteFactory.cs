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
    /// <param name="callTimeout">timeout_seconds of sync.yaml: how long one remote call may take before it counts as
    /// unreachable (Postgres command timeout, REST request timeout, SQLite-file lock wait).</param>
    public static IRemote Create(string url, string workspaceRoot, Identity identity, TimeSpan callTimeout) =>
        Create(url, workspaceRoot, () => identity.Email, callTimeout);

    /// <param name="author">The e-mail changes and audit entries fall back to; asked only when needed, so that
    /// setting up and connecting never wait for git to name the user.</param>
    public static IRemote Create(string url, string workspaceRoot, Func<string> author, TimeSpan callTimeout)
    {
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["file:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
                path = path[2..];
            if (path.Length == 0)
                throw SyncException.Usage("remote 'file:' needs a path, e.g. file:../team-remote.db");
            return new SqliteFileRemote(Path.GetFullPath(path, workspaceRoot), callTimeout);
        }

        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return new PostgresRemote(url, author, callTimeout);
        if ((url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return RestRemote.FromEnvironment(uri, new RestRemoteOptions { RequestTimeout = callTimeout });
        throw SyncException.Usage($"remote '{url}' is not understood; use file:PATH, postgresql://user@host:port/db or https://<ref>.supabase.co");
    }

    /// <summary>The configured remote of a workspace, with its configured call timeout.</summary>
    public static IRemote Create(SyncContext context, string url) =>
        Create(url, context.Workspace.Root, () => context.Identity.Email, TimeSpan.FromSeconds(context.Config.TimeoutSeconds));

    /// <summary>The cursor key of a remote: its URL as configured (no credentials are ever in it).</summary>
    public static string Key(string url) => url.Trim();
}
