using AgentSync.Diagnostics;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// <c>agent sync pull</c>: sends what is queued, then reads the change log from the cursor in pages. Unedited artifacts
/// are fast-forwarded, edited ones merged, new ones written, remote deletions remove unedited files. Each page's
/// changes and the advanced cursor commit in one transaction, so a kill at any point resumes from the last whole page.
/// </summary>
public sealed class PullService(SyncContext context, Func<IRemote>? remoteFactory = null)
{
    public const int PageSize = 1000;
    private readonly Reconciler _reconciler = new(context);

    public async Task<SyncReport> RunAsync(IReadOnlyCollection<string>? ids, bool dryRun, CancellationToken cancellationToken)
    {
        await using var session = await SyncSession.BeginAsync(context, dryRun, connect: true, remoteFactory, cancellationToken);
        var (report, diff, remote) = (session.Report, session.Diff, session.Remote);
        // In a dry run, files changed on disk but not yet recorded still count as local edits.
        var unrecorded = dryRun
            ? diff.Changes.Where(c => c.Content is not null).ToDictionary(c => (c.File.Id, c.File.Kind), c => c.Content!)
            : [];

        var reached = false;
        AuditTrail.PendingRemoteRecord? audit = null;
        try
        {
            await session.ConnectAsync(cancellationToken);
            reached = true;
            if (!dryRun)
                await new PushService(context).SendOutboxAsync(remote, null, report, cancellationToken);
            // The report is complete once the last page is applied: its audit record goes to the remote while that
            // page commits here, and is committed there only after it (a pull of 1,000 waited ~8 ms for each in turn).
            await PullPagesAsync(remote, RemoteFactory.Key(session.RemoteUrl), ids, dryRun, unrecorded, report, cancellationToken,
                dryRun ? null : async () => audit = await BeginFinishAsync(ids, remote, report, cancellationToken));
            if (audit is not null)
            {
                // Committed here: only now does the operation (the local record, the metrics) count the report.
                Operation.Current?.Add(report);
                await audit.CommitAsync(cancellationToken);
            }
        }
        catch (RemoteUnavailableException e)
        {
            report.Unreachable = e.Message;
        }
        finally
        {
            if (audit is not null)
                await audit.DisposeAsync();
        }

        if (audit is not null)
            return report;
        if (!dryRun)
            await PushService.AddOutstandingConflictsAsync(context, ids, report, cancellationToken);
        report.Queued = (await context.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
        if (!dryRun)
            await PushService.FinishAsync(context, remote, reached && report.Unreachable is null, report, cancellationToken);
        return report;
    }

    /// <summary>What the end of a pull adds to its report, then the operation's remote record begun as the operation
    /// will read once the last page has committed (it has not yet; reads here see its rows).</summary>
    private async Task<AuditTrail.PendingRemoteRecord?> BeginFinishAsync(IReadOnlyCollection<string>? ids, IRemote remote, SyncReport report, CancellationToken cancellationToken)
    {
        await PushService.AddOutstandingConflictsAsync(context, ids, report, cancellationToken);
        report.Queued = (await context.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
        if (Operation.Current is not { } operation)
            return null;
        operation.Remote = remote.Describe;
        return AuditTrail.BeginRecordRemote(remote, context, operation, report, cancellationToken);
    }

    /// <param name="beforeLastCommit">Run once the last page is applied, before it commits (not in a dry run).</param>
    private async Task PullPagesAsync(IRemote remote, string remoteKey, IReadOnlyCollection<string>? ids, bool dryRun, Dictionary<(string, Artifacts.ArtifactKind), string> unrecorded, SyncReport report, CancellationToken cancellationToken, Func<Task>? beforeLastCommit = null)
    {
        var project = context.Config.Project;
        var cursor = await context.Store.GetCursorAsync(remoteKey, project, cancellationToken);
        // Pulling some ids only must not move the cursor past the changes it skipped.
        var moveCursor = !dryRun && (ids is null || ids.Count == 0);
        // Every artifact a page brings is hashed: load the hashing library while the remote reads the first page.
        Artifacts.ContentHash.WarmUpInBackground();
        while (true)
        {
            using var pageSpan = Diagnostics.Telemetry.Source.StartActivity("pull.page")?.SetTag("agent_sync.after", cursor);
            var (count, last) = (0, cursor);
            Dictionary<Guid, OutboxEntry>? outbox = null;
            LocalStore.WriteScope? scope = null;
            bool more;
            try
            {
                // Each change is applied as it arrives: the page's first changes are written while the rest are still on
                // their way, and none is held longer than its own turn (with a page of 1,000 texts held to its end, the
                // collections that copied them were a quarter of applying it, by perf).
                using (Diagnostics.Telemetry.RemoteCall("pull", remote.Describe))
                {
                    more = await remote.PullEachAsync(project, cursor, PageSize, async change =>
                    {
                        if (count++ == 0)
                        {
                            // Begun with the first change only: a pull with nothing new writes nothing.
                            outbox = (await context.Store.OutboxAsync(cancellationToken)).ToDictionary(e => e.ChangeId);
                            scope = dryRun ? null : await context.Store.BeginWriteAsync(cancellationToken);
                        }

                        last = change.Sequence;
                        if (ids is { Count: > 0 } && !ids.Contains(change.Id, StringComparer.OrdinalIgnoreCase))
                            return;
                        await ApplyAsync(change, outbox!, dryRun, unrecorded, report, cancellationToken);
                    }, cancellationToken);
                }

                pageSpan?.SetTag("agent_sync.changes", count).SetTag("agent_sync.more", more);
                if (count == 0)
                    return;
                cursor = last;
                if (scope is not null)
                {
                    if (moveCursor)
                        await context.Store.SetCursorAsync(remoteKey, project, cursor, cancellationToken);
                    if (!more && beforeLastCommit is not null)
                        await beforeLastCommit();
                    // Its own span: the page's files reach the disk here (one syncfs), then its rows commit.
                    using (Diagnostics.Telemetry.Source.StartActivity("pull.commit"))
                        await scope.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                if (scope is not null)
                    await scope.DisposeAsync();
            }

            if (!more)
                return;
        }
    }

    private async Task ApplyAsync(RemoteChangeRecord change, Dictionary<Guid, OutboxEntry> outbox, bool dryRun, Dictionary<(string, Artifacts.ArtifactKind), string> unrecorded, SyncReport report, CancellationToken cancellationToken)
    {
        var local = await context.Store.GetAsync(change.Id, change.Kind, cancellationToken);
        if (outbox.TryGetValue(change.ChangeId, out var ours))
        {
            // Our own change, applied by a push whose answer was lost: it is accepted, not a conflict.
            if (!dryRun)
            {
                await context.Store.DequeueAsync(ours.ChangeId, cancellationToken);
                await new PushService(context).AcceptAsync(ours, new PushResult(ours.ChangeId, ours.Id, ours.Kind, PushStatus.Accepted, change.Version, change.Sequence, null, null, ours.Deleted, ours.Author), new SyncReport(), cancellationToken);
            }

            return;
        }

        var edited = local is not null && (unrecorded.ContainsKey((local.Id, local.Kind))
            || outbox.Values.Any(e => e.Id == local.Id && e.Kind == local.Kind)
            || await _reconciler.HasLocalEditAsync(local, cancellationToken));
        var head = RemoteHead.Of(change);
        var outcome = await _reconciler.ApplyAsync(local, head, edited, dryRun, cancellationToken, local is null ? null : unrecorded.GetValueOrDefault((local.Id, local.Kind)));
        var item = new SyncItem(change.Id, change.Kind, change.Version);
        switch (outcome)
        {
            case Outcome.Conflict:
                var path = (await context.Store.GetAsync(change.Id, change.Kind, cancellationToken))?.Path ?? local?.Path ?? "";
                report.Conflicts.RemoveAll(c => c.Id == change.Id && c.Kind == change.Kind);
                report.Conflicts.Add(new ConflictItem(change.Id, change.Kind, path, change.Version, change.Author));
                break;
            case Outcome.Merged:
                report.Merged.Add(item);
                break;
            case Outcome.Skipped:
                break;
            default:
                report.Pulled.Add(item);
                break;
        }
    }
}
