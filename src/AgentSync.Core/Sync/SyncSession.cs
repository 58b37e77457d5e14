using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// What push and pull both start with: a configured remote, the workspace lock for the whole run, and the working tree
/// recorded (or, in a dry run, only compared) so that local edits are known before anything is sent or merged.
/// The connection to the remote is opened while the tree is scanned: the two waits overlap instead of adding up
/// (a few milliseconds of every command, which is most of a pull with nothing new).
/// </summary>
internal sealed class SyncSession : IAsyncDisposable
{
    private readonly SyncContext _context;
    private readonly WorkspaceLock _lock;
    private readonly Task<RemoteInfo>? _connecting;

    /// <summary>The tree's changes left to record (see <c>recordFirst</c> of <see cref="BeginAsync"/>).</summary>
    private IReadOnlyList<TreeChange>? _unrecorded;

    private SyncSession(SyncContext context, string remoteUrl, IRemote remote, Task<RemoteInfo>? connecting, WorkspaceLock held, SyncReport report, TreeDiff diff)
    {
        _context = context;
        RemoteUrl = remoteUrl;
        Remote = remote;
        _connecting = connecting;
        _lock = held;
        Report = report;
        Diff = diff;
    }

    public string RemoteUrl { get; }

    public IRemote Remote { get; }

    public SyncReport Report { get; }

    public TreeDiff Diff { get; }

    /// <summary>Whether part of the tree's changes is still to be recorded by <see cref="RecordRestAsync"/>.</summary>
    public bool HasUnrecorded => _unrecorded is { Count: > 0 };

    /// <param name="connect">Start connecting at once; false for runs that may never contact the remote.</param>
    /// <param name="compared">Told how the tree differs from the cache before the differences are recorded.</param>
    /// <param name="recordFirst">Record only this many of the tree's changes now and leave the rest to
    /// <see cref="RecordRestAsync"/>, so that a push can send its first batch while the rest is recorded. Only a tree
    /// whose changes are independent of each other is split: new and edited files, no deletion, no file taking another
    /// artifact's path; any other tree is recorded at once.</param>
    public static async Task<SyncSession> BeginAsync(SyncContext context, bool dryRun, bool connect, Func<IRemote>? remoteFactory, CancellationToken cancellationToken, Action<TreeDiff>? compared = null, int recordFirst = int.MaxValue)
    {
        var remoteUrl = context.Config.Remote
            ?? throw SyncException.Usage("no remote is configured; run 'agent sync init --remote URL' (file:PATH, postgresql://... or https://<ref>.supabase.co)");
        if (!dryRun)
            context.ResolveIdentityInBackground();
        // Setting up a driver (Npgsql's type resolvers, an HTTP handler) is work too: off this thread as well. The
        // command may have started it before the cache was opened.
        Task<IRemote> creating;
        Task<RemoteInfo>? connecting;
        if (connect && remoteFactory is null && context.TakeEarlyRemote(remoteUrl) is { } early)
        {
            (creating, connecting) = (early.Creating, early.Connecting);
        }
        else
        {
            creating = Task.Run(() => remoteFactory?.Invoke() ?? RemoteFactory.Create(context, remoteUrl), cancellationToken);
            connecting = connect ? ConnectAsync(creating, cancellationToken) : null;
        }

        WorkspaceLock? held = null;
        try
        {
            held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
            var recorder = new TreeRecorder(context);
            TreeDiff diff;
            IReadOnlyList<TreeChange>? rest = null;
            if (dryRun)
            {
                diff = await recorder.DiffAsync(null, cancellationToken);
            }
            else
            {
                diff = await recorder.CompareAsync(null, cancellationToken);
                compared?.Invoke(diff);
                var changes = diff.Changes;
                if (Splits(diff, recordFirst))
                    (changes, rest) = (changes.Take(recordFirst).ToList(), changes.Skip(recordFirst).ToList());
                await recorder.RecordChangesAsync(changes, diff.Touched, Operation, cancellationToken);
            }

            var report = new SyncReport { DryRun = dryRun };
            report.Errors.AddRange(diff.Errors);
            return new SyncSession(context, remoteUrl, await creating, connecting, held, report, diff) { _unrecorded = rest };
        }
        catch
        {
            // The local failure is the one to report; whatever the connection attempt did is only waited for.
            await SettleAsync(connecting);
            await SettleAsync(creating);
            if (creating.IsCompletedSuccessfully)
                await creating.Result.DisposeAsync();
            held?.Dispose();
            throw;
        }
    }

    /// <summary>Whether <see cref="BeginAsync"/> records only the first <paramref name="recordFirst"/> changes of
    /// <paramref name="diff"/> at first: there are more, and they are independent of each other.</summary>
    public static bool Splits(TreeDiff diff, int recordFirst) =>
        diff.Changes.Count > recordFirst && diff.Changes.All(c => c.Change != ChangeType.Deleted && !c.PathHeldByAnother);

    /// <summary>What a sync run records a new file as in the artifact's history.</summary>
    private const string Operation = "edit";

    /// <summary>Records the changes <see cref="BeginAsync"/> left (none: nothing to do), in one transaction, and returns
    /// the records written.</summary>
    public async Task<IReadOnlyList<StoredArtifact>> RecordRestAsync(CancellationToken cancellationToken)
    {
        if (_unrecorded is not { Count: > 0 } rest)
            return [];
        _unrecorded = null;
        return await new TreeRecorder(_context).RecordChangesAsync(rest, [], Operation, cancellationToken);
    }

    /// <summary>The remote, connected: the attempt started by <see cref="BeginAsync"/>, or a new one.</summary>
    public Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken) => _connecting ?? ConnectAsync(Remote, cancellationToken);

    internal static async Task<RemoteInfo> ConnectAsync(Task<IRemote> creating, CancellationToken cancellationToken) =>
        await ConnectAsync(await creating, cancellationToken);

    private static async Task<RemoteInfo> ConnectAsync(IRemote remote, CancellationToken cancellationToken)
    {
        using (Diagnostics.Telemetry.RemoteCall("connect", remote.Describe))
        {
            var info = await remote.ConnectForWorkAsync(cancellationToken);
            if (Diagnostics.Operation.Current is { } current)
                current.ServiceRole = info.ServiceRole;
            return info;
        }
    }

    internal static async Task SettleAsync(Task? task)
    {
        if (task is null)
            return;
        try
        {
            await task;
        }
#pragma warning disable CA1031 // Observed only so it is not left running against a disposed remote; the caller reports its own failure.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SettleAsync(_connecting);
        await Remote.DisposeAsync();
        _lock.Dispose();
    }
}
