using AgentSync.Config;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>What every operation on a workspace needs: where it is, its settings, its cache and who is acting.</summary>
public sealed class SyncContext : IAsyncDisposable
{
    private readonly Lazy<Identity> _identity;

    private SyncContext(AgentWorkspace workspace, SyncConfig config, LocalStore store)
    {
        Workspace = workspace;
        Config = config;
        Store = store;
        // Resolving the identity may start git; read-only commands such as list never need it.
        _identity = new Lazy<Identity>(() =>
        {
            var identity = Identity.Resolve(workspace.Root);
            if (Diagnostics.Operation.Current is { } operation)
                operation.Actor ??= identity.Email;
            return identity;
        });
    }

    public AgentWorkspace Workspace { get; }

    public SyncConfig Config { get; }

    public LocalStore Store { get; }

    public Identity Identity => _identity.Value;

    /// <summary>
    /// Starts resolving the identity on another thread: it may run git (a few milliseconds), push and pull need it only
    /// once the tree is scanned, and <see cref="Identity"/> waits for this same resolution. A thread of its own, not
    /// the pool's: waiting for git there held back the remote's connection, queued behind it on a two-core machine.
    /// </summary>
    public void ResolveIdentityInBackground()
    {
        if (_identity.IsValueCreated)
            return;
        // The thread starts with this execution context, so the resolution still names the current operation's actor.
        new Thread(() =>
        {
            try
            {
                _ = _identity.Value;
            }
#pragma warning disable CA1031 // Lazy keeps the failure: the first real use of Identity throws it where it is handled.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        { IsBackground = true, Name = "identity" }.Start();
    }

    public static async Task<SyncContext> OpenAsync(AgentWorkspace workspace, CancellationToken cancellationToken)
    {
        var config = await SyncConfigFile.LoadAsync(workspace.ConfigPath, cancellationToken);
        var store = await LocalStore.OpenAsync(workspace.DatabasePath, cancellationToken);
        return new SyncContext(workspace, config, store);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
