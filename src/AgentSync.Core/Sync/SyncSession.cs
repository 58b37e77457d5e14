using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// What push and pull both start with: a configured remote, the workspace lock for the whole run, and the working tree
/// recorded (or, in a dry run, only compared) so that local edits are known before anything is sent or merged.
/// </summary>
internal sealed class SyncSession : IDisposable
{
    private readonly WorkspaceLock _lock;

    private SyncSession(string remoteUrl, WorkspaceLock held, SyncReport report, TreeDiff diff)
    {
        RemoteUrl = remoteUrl;
        _lock = held;
        Report = report;
        Diff = diff;
    }

    public string RemoteUrl { get; }

    public SyncReport Report { get; }

    public TreeDiff Diff { get; }

    public static async Task<SyncSession> BeginAsync(SyncContext context, bool dryRun, CancellationToken cancellationToken)
    {
        var remoteUrl = context.Config.Remote
            ?? throw SyncException.Usage("no remote is configured; run 'agent sync init --remote URL' (file:PATH, postgresql://... or https://<ref>.supabase.co)");
        var held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
        try
        {
            var recorder = new TreeRecorder(context);
            var diff = dryRun ? await recorder.DiffAsync(null, cancellationToken) : await recorder.RecordAsync(null, "edit", cancellationToken);
            var report = new SyncReport { DryRun = dryRun };
            report.Errors.AddRange(diff.Errors);
            return new SyncSession(remoteUrl, held, report, diff);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public IRemote OpenRemote(SyncContext context, Func<IRemote>? remoteFactory) =>
        remoteFactory?.Invoke() ?? RemoteFactory.Create(context, RemoteUrl);

    public void Dispose() => _lock.Dispose();
}
