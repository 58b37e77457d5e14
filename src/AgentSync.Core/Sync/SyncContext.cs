using AgentSync.Config;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>What every operation on a workspace needs: where it is, its settings, its cache and who is acting.</summary>
public sealed class SyncContext : IAsyncDisposable
{
    private readonly Lazy<Identity> _identity;
    private EarlyRemote? _early;

    /// <summary>1 once a thread resolves the identity (an early remote starts one): never a second thread for it.</summary>
    private int _resolving;

    private SyncContext(AgentWorkspace workspace, SyncConfig config, LocalStore store, Lazy<Identity> identity, EarlyRemote? early)
    {
        Workspace = workspace;
        Config = config;
        Store = store;
        _identity = identity;
        _early = early;
        _resolving = early is null ? 0 : 1;
    }

    /// <summary>The configured remote, being set up and connected since before the cache was opened.</summary>
    internal sealed record EarlyRemote(string Url, Task<Remote.IRemote> Creating, Task<Remote.RemoteInfo> Connecting);

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
        if (Interlocked.Exchange(ref _resolving, 1) == 0)
            ResolveInBackground(_identity);
    }

    private static void ResolveInBackground(Lazy<Identity> identity)
    {
        if (identity.IsValueCreated)
            return;
        // The thread starts with this execution context, so the resolution still names the current operation's actor.
        new Thread(() =>
        {
            try
            {
                _ = identity.Value;
            }
#pragma warning disable CA1031 // Lazy keeps the failure: the first real use of Identity throws it where it is handled.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        { IsBackground = true, Name = "identity" }.Start();
    }

    /// <param name="connect">The command will talk to the configured remote: set it up and connect on other threads
    /// from here on, while the cache opens and the tree is scanned (see <see cref="SyncSession"/>).</param>
    public static async Task<SyncContext> OpenAsync(AgentWorkspace workspace, CancellationToken cancellationToken, bool connect = false)
    {
        var config = await SyncConfigFile.LoadAsync(workspace.ConfigPath, cancellationToken);
        // Resolving the identity may start git; read-only commands such as list never need it.
        var identity = new Lazy<Identity>(() =>
        {
            var resolved = Identity.Resolve(workspace.Root);
            if (Diagnostics.Operation.Current is { } operation)
                operation.Actor ??= resolved.Email;
            return resolved;
        });
        EarlyRemote? early = null;
        if (connect && config.Remote is { } url)
        {
            // Both are needed once the remote answers (the author of changes, the actor of the audit record).
            ResolveInBackground(identity);
            var creating = Task.Run(() => RemoteFactory.Create(url, workspace.Root, () => identity.Value.Email, TimeSpan.FromSeconds(config.TimeoutSeconds)), cancellationToken);
            early = new EarlyRemote(url, creating, SyncSession.ConnectAsync(creating, cancellationToken));
        }

        try
        {
            var store = await LocalStore.OpenAsync(workspace.DatabasePath, cancellationToken);
            return new SyncContext(workspace, config, store, identity, early);
        }
        catch
        {
            await DisposeAsync(early);
            throw;
        }
    }

    /// <summary>The remote started by <see cref="OpenAsync"/> for <paramref name="url"/>, now owned by the caller.</summary>
    internal EarlyRemote? TakeEarlyRemote(string url)
    {
        var early = _early;
        if (early?.Url != url)
            return null;
        _early = null;
        return early;
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsync(Interlocked.Exchange(ref _early, null));
        await Store.DisposeAsync();
    }

    /// <summary>An early remote nobody took (the command failed first, or used a remote of its own): waited for and closed.</summary>
    private static async Task DisposeAsync(EarlyRemote? early)
    {
        if (early is null)
            return;
        await SyncSession.SettleAsync(early.Connecting);
        await SyncSession.SettleAsync(early.Creating);
        if (early.Creating.IsCompletedSuccessfully)
            await early.Creating.Result.DisposeAsync();
    }
}
