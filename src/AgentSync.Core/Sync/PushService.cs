using AgentSync.Artifacts;
using AgentSync.Diagnostics;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// <c>agent sync push</c>: records the working tree, queues every local change in the outbox with a stable change id,
/// and sends the outbox in batches. Accepted changes move the base forward; rejected ones are merged three ways and a
/// clean merge is sent again at once; a change the remote refuses for good is set aside with its reason and the rest
/// still go.
/// </summary>
public sealed class PushService(SyncContext context, Func<IRemote>? remoteFactory = null)
{
    private const int MaxRounds = 5;
    private readonly Reconciler _reconciler = new(context);

    /// <summary>Changes sent with the remote's state instead of ours, and the hash of what was actually sent.</summary>
    private readonly Dictionary<Guid, string> _sentWithRemoteState = [];

    /// <summary>The screen's scan of the texts this push read, started while they are recorded.</summary>
    private ContentPrescan? _prescan;

    /// <summary>The texts this push read from the working tree, by hash: a batch takes them from here instead of
    /// reading back from the cache what was just written to it (a tenth of the client's work in a push of 1,000).</summary>
    private readonly Dictionary<string, string> _read = new(StringComparer.Ordinal);

    public async Task<SyncReport> RunAsync(IReadOnlyCollection<string>? ids, bool dryRun, CancellationToken cancellationToken)
    {
        // The first batch's worth of the tree (see BatchPlan) is recorded first and sent while the rest is recorded (a
        // first push of 1,000 new artifacts: the remote starts ~25 ms sooner).
        var recordFirst = BatchPlan.First(context.Config.BatchSize);
        await using var session = await SyncSession.BeginAsync(context, dryRun, connect: !dryRun, remoteFactory, cancellationToken,
            compared: diff =>
            {
                // When the tree is split, the rest's texts are scanned once the first batch is on its way (QueueRestAsync).
                _prescan = ContentPrescan.Start(ContentScreen.Scanner(context.Config), diff, SyncSession.Splits(diff, recordFirst) ? recordFirst : int.MaxValue, cancellationToken);
                foreach (var change in diff.Changes)
                {
                    if (change is { Content: { } text, ContentHash: { } hash })
                        _read[hash] = text;
                }
            },
            recordFirst: recordFirst);
        var (report, diff, remote) = (session.Report, session.Diff, session.Remote);
        await RequireKnownAsync(ids, cancellationToken);

        var candidates = await CandidatesAsync(ids, cancellationToken);
        if (dryRun)
        {
            // Nothing is written or sent: report what the outbox would send.
            foreach (var entry in await PendingAsync(ids, cancellationToken))
                report.Pushed.Add(new SyncItem(entry.Id, entry.Kind, entry.BaseVersion + 1));
            foreach (var artifact in candidates)
                report.Pushed.Add(new SyncItem(artifact.Id, artifact.Kind, artifact.BaseVersion + 1));
            foreach (var change in diff.Changes.Where(c => c.Previous is null || !candidates.Any(a => a.Id == c.File.Id && a.Kind == c.File.Kind)))
            {
                if (ids is null || ids.Contains(change.File.Id, StringComparer.OrdinalIgnoreCase))
                    report.Pushed.Add(new SyncItem(change.File.Id, change.File.Kind, (change.Previous?.BaseVersion ?? 0) + 1));
            }

            report.Queued = (await context.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
            return report;
        }

        await EnqueueAsync(await new ContentScreen(context, _prescan).ScreenAsync(candidates, report, cancellationToken), cancellationToken);
        var reached = false;
        try
        {
            await session.ConnectAsync(cancellationToken);
            reached = true;
            await SendOutboxAsync(remote, ids, report, cancellationToken, session.HasUnrecorded ? () => QueueRestAsync(session, ids, report, cancellationToken) : null);
        }
        catch (RemoteUnavailableException e)
        {
            report.Unreachable = e.Message;
        }

        // Unreachable before the rest was recorded: it is queued all the same, and counted below.
        await QueueRestAsync(session, ids, report, cancellationToken);

        await AddOutstandingConflictsAsync(context, ids, report, cancellationToken);
        report.Queued = (await context.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
        await FinishAsync(context, remote, reached && report.Unreachable is null, report, cancellationToken);
        return report;
    }

    /// <summary>Adds the report to the operation being recorded and, when the remote was reached, to its audit log.</summary>
    internal static async Task FinishAsync(SyncContext context, IRemote remote, bool reached, SyncReport report, CancellationToken cancellationToken)
    {
        if (Operation.Current is not { } operation)
            return;
        operation.Add(report);
        if (!reached)
            return;
        operation.Remote = remote.Describe;
        await AuditTrail.RecordRemoteAsync(remote, context, operation, AuditTrail.Outcome(report), cancellationToken);
    }

    /// <summary>Puts local changes in the outbox without contacting the remote (offline new-*).</summary>
    public async Task QueueAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        using var held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
        // Screened like any push: what the outbox holds may leave the machine without another look.
        await EnqueueAsync(await new ContentScreen(context).ScreenAsync(await CandidatesAsync(ids, cancellationToken), new SyncReport(), cancellationToken), cancellationToken);
    }

    /// <summary>Conflicts left from earlier runs still need resolving; like git, keep saying so until they are.</summary>
    internal static async Task AddOutstandingConflictsAsync(SyncContext context, IReadOnlyCollection<string>? ids, SyncReport report, CancellationToken cancellationToken)
    {
        foreach (var artifact in await context.Store.ChangedAsync(cancellationToken))
        {
            if (artifact.Conflicted && Selected(ids, artifact.Id) && !report.Conflicts.Any(c => c.Id == artifact.Id && c.Kind == artifact.Kind))
                report.Conflicts.Add(new ConflictItem(artifact.Id, artifact.Kind, artifact.Path, artifact.RemoteVersion ?? artifact.BaseVersion, artifact.RemoteAuthor));
        }
    }

    /// <summary>Records what the session left of the tree and queues it; returns the entries it queued.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> QueueRestAsync(SyncSession session, IReadOnlyCollection<string>? ids, SyncReport report, CancellationToken cancellationToken)
    {
        if (!session.HasUnrecorded)
            return [];
        _prescan?.ScanRest();
        // Only the records just written can be new candidates: no need to read every changed record again.
        var recorded = await session.RecordRestAsync(cancellationToken);
        return await EnqueueAsync(await new ContentScreen(context, _prescan).ScreenAsync(await CandidatesAsync(ids, cancellationToken, recorded), report, cancellationToken), cancellationToken);
    }

    /// <summary>Sends what the outbox holds, merging conflicts and re-sending clean merges, until nothing is left.</summary>
    /// <param name="more">Queues more changes and returns them: called once, while the remote applies the first batch.</param>
    internal async Task SendOutboxAsync(IRemote remote, IReadOnlyCollection<string>? ids, SyncReport report, CancellationToken cancellationToken, Func<Task<IReadOnlyList<OutboxEntry>>>? more = null)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var pending = await PendingAsync(ids, cancellationToken);
            if (pending.Count == 0 && more is not null)
            {
                // Nothing of the first part may go (the screen held it back): the rest is all there is.
                await more();
                more = null;
                pending = await PendingAsync(ids, cancellationToken);
            }

            if (pending.Count == 0)
                return;
            await SendBatchesAsync(remote, pending, report, cancellationToken, more);
            more = null;
            // Clean merges were queued again against the new base; send them in the next round.
            await EnqueueAsync(await new ContentScreen(context, _prescan).ScreenAsync(await CandidatesAsync(ids, cancellationToken), report, cancellationToken), cancellationToken);
        }
    }

    /// <summary>A batch ready to go: its changes as sent, and the records they were built from.</summary>
    private sealed record PreparedBatch(IReadOnlyList<OutboxEntry> Entries, List<RemoteChange> Changes, Dictionary<(string Id, ArtifactKind Kind), StoredArtifact> Artifacts);

    /// <summary>A batch on its way: the remote's answer to come, and the span that covers it until its results are applied.</summary>
    private sealed record InFlight(PreparedBatch Batch, Task<IReadOnlyList<PushResult>> Results, System.Diagnostics.Activity? Span);

    /// <summary>
    /// Sends the batches in order, one remote call at a time, but lets the client's share overlap the server's: the next
    /// batch is prepared while the remote applies one, and a batch's results are applied here while the remote already
    /// applies the next. Only the remote call runs off this flow; the cache is touched by this flow alone.
    /// </summary>
    /// <param name="more">Queues more changes and returns them; called once the first batch is on its way, and they are
    /// sent after the others.</param>
    private async Task SendBatchesAsync(IRemote remote, IReadOnlyList<OutboxEntry> pending, SyncReport report, CancellationToken cancellationToken, Func<Task<IReadOnlyList<OutboxEntry>>>? more = null)
    {
        var plan = new BatchPlan(context.Config.BatchSize);
        var batches = plan.Split(pending);
        // The call whose answer this flow has not taken yet.
        InFlight? outstanding = null;
        try
        {
            outstanding = Send(remote, await PrepareAsync(batches[0], cancellationToken), cancellationToken);
            if (more is not null)
            {
                var added = await more();
                pending = [.. pending, .. added];
                batches.AddRange(plan.Split(added));
            }

            // Applying one batch's results must not change what a later batch was built from: overlap only when no
            // artifact appears twice in the outbox.
            var overlap = batches.Count > 1 && pending.DistinctBy(e => (e.Id, e.Kind)).Count() == pending.Count;
            for (var i = 0; i < batches.Count; i++)
            {
                var current = outstanding!;
                var next = overlap && i + 1 < batches.Count ? await PrepareAsync(batches[i + 1], cancellationToken) : null;
                var results = await ReceiveAsync(remote, current, report, cancellationToken);
                outstanding = null;
                var clean = results is not null && results.All(r => r.Status == PushStatus.Accepted);
                if (next is not null && clean)
                    outstanding = Send(remote, next, cancellationToken);
                else if (next is not null)
                    // A conflict's merge may call the remote (renumbering) and move records: the next batch waits for
                    // it and reads its records again when it applies its results.
                    next = next with { Artifacts = [] };

                using (current.Span)
                {
                    if (results is not null)
                        await ApplyResultsAsync(remote, current.Batch, results, report, cancellationToken);
                }

                if (outstanding is null && i + 1 < batches.Count)
                    outstanding = Send(remote, next ?? await PrepareAsync(batches[i + 1], cancellationToken), cancellationToken);
            }
        }
        catch when (outstanding is not null)
        {
            // The local failure is the one to report; the call under way is only waited for, not left running
            // against a remote about to be disposed. Its changes stay in the outbox, sent: the next push sends the
            // same change ids and the remote answers with what it recorded.
            using (outstanding.Span)
                await Task.WhenAny(outstanding.Results);
            throw;
        }
    }

    /// <summary>Prepares, sends and applies one batch; a batch the remote refuses as invalid is halved until the bad
    /// change stands alone, so the others still go.</summary>
    private async Task SendBatchAsync(IRemote remote, IReadOnlyList<OutboxEntry> batch, SyncReport report, CancellationToken cancellationToken)
    {
        var sending = Send(remote, await PrepareAsync(batch, cancellationToken), cancellationToken);
        using (sending.Span)
        {
            if (await ReceiveAsync(remote, sending, report, cancellationToken) is { } results)
                await ApplyResultsAsync(remote, sending.Batch, results, report, cancellationToken);
        }
    }

    private async Task<PreparedBatch> PrepareAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Source.StartActivity("push.prepare")?.SetTag("agent_sync.batch.size", batch.Count);
        var changes = new List<RemoteChange>(batch.Count);
        // Two queries for the whole batch instead of two per change (a quarter of the client's share of a push of 1,000).
        // Keys and hashes gathered in loops: LINQ's Select into a tuple resolved a generic virtual method at run time
        // (Native AOT), ~4 ms on every push.
        var keys = new List<(string Id, ArtifactKind Kind)>(batch.Count);
        var unread = new List<string>();
        foreach (var entry in batch)
        {
            keys.Add((entry.Id, entry.Kind));
            if (!entry.Deleted && !_read.ContainsKey(entry.ContentHash))
                unread.Add(entry.ContentHash);
        }

        var artifacts = await context.Store.GetManyAsync(keys, cancellationToken);
        var blobs = unread.Count == 0 ? [] : await context.Store.GetBlobsAsync(unread, cancellationToken);
        foreach (var entry in batch)
        {
            var content = entry.Deleted ? "" : _read.GetValueOrDefault(entry.ContentHash) ?? blobs.GetValueOrDefault(entry.ContentHash) ?? "";
            var artifact = artifacts.GetValueOrDefault((entry.Id, entry.Kind));
            var hash = entry.Deleted ? ContentHash.Of("") : entry.ContentHash;
            if (!entry.Deleted && artifact?.RemoteState is not null && await context.Store.GetBlobAsync(artifact.BaseHash, cancellationToken) is { } remoteBase)
            {
                // Git governs state: a pull kept our state against the remote's, so our edit must not overwrite the
                // remote's state either. Send the edit with the remote's state; each side keeps its own.
                var withRemoteState = StateField.Keep(content, remoteBase, entry.Kind == ArtifactKind.Journey);
                if (withRemoteState != content)
                {
                    content = withRemoteState;
                    hash = await context.Store.PutBlobAsync(content, cancellationToken);
                    _sentWithRemoteState[entry.ChangeId] = hash;
                }
            }

            changes.Add(new RemoteChange(entry.ChangeId, entry.Id, entry.Kind, entry.BaseVersion, content, hash, entry.Deleted, entry.Author, entry.Description)
            {
                Path = artifact is null ? null : context.Config.Locations.BelowRoot(entry.Kind, artifact.Path),
            });
        }

        // From here on the change ids are frozen: a retry after a lost response must send exactly these changes.
        await using (var scope = await context.Store.BeginWriteAsync(cancellationToken))
        {
            await context.Store.MarkSentAsync(batch.Select(e => e.ChangeId), null, cancellationToken);
            await scope.CommitAsync(cancellationToken);
        }

        return new PreparedBatch(batch, changes, artifacts);
    }

    /// <summary>Starts the remote call of a batch under its own span, and leaves the caller's span current.</summary>
    private InFlight Send(IRemote remote, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var parent = System.Diagnostics.Activity.Current;
        var span = Telemetry.Source.StartActivity("push.batch")?.SetTag("agent_sync.batch.size", batch.Entries.Count);
        // On a thread of its own: a remote that works before its first await (the SQLite file) applies the batch while
        // this flow prepares the next, and the call starts at once even when every pool thread is busy (waiting for one
        // delayed the second batch of a push of 1,000 by 3-5 ms).
        var results = Task.Factory.StartNew(() => CallAsync(remote, batch.Changes, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        System.Diagnostics.Activity.Current = parent;
        return new InFlight(batch, results, span);
    }

    private async Task<IReadOnlyList<PushResult>> CallAsync(IRemote remote, List<RemoteChange> changes, CancellationToken cancellationToken)
    {
        using (Telemetry.RemoteCall("push", remote.Describe)?.SetTag("agent_sync.batch.size", changes.Count))
            return await remote.PushAsync(context.Config.Project, changes, cancellationToken);
    }

    /// <summary>The remote's answer to a batch, or null when it refused the batch as invalid and the batch was settled
    /// here (halved and sent again, or its one change set aside).</summary>
    private async Task<IReadOnlyList<PushResult>?> ReceiveAsync(IRemote remote, InFlight sending, SyncReport report, CancellationToken cancellationToken)
    {
        var batch = sending.Batch.Entries;
        try
        {
            var results = await sending.Results;
            sending.Span?.SetTag("agent_sync.accepted", results.Count(r => r.Status == PushStatus.Accepted))
                .SetTag("agent_sync.conflicts", results.Count(r => r.Status == PushStatus.Conflict));
            return results;
        }
        catch (RemoteException e) when (e.Kind == RemoteErrorKind.Invalid && batch.Count > 1)
        {
            // One bad change refuses its whole batch; halve until it stands alone so the others still go.
            var half = batch.Count / 2;
            await SendBatchAsync(remote, batch.Take(half).ToList(), report, cancellationToken);
            await SendBatchAsync(remote, batch.Skip(half).ToList(), report, cancellationToken);
            return null;
        }
        catch (RemoteException e) when (e.Kind == RemoteErrorKind.Invalid)
        {
            sending.Span?.SetTag("agent_sync.rejected", 1);
            await using var scope = await context.Store.BeginWriteAsync(cancellationToken);
            await context.Store.RejectAsync(batch[0].ChangeId, e.Message, cancellationToken);
            await scope.CommitAsync(cancellationToken);
            report.Rejected.Add(new RejectedItem(batch[0].Id, batch[0].Kind, e.Message));
            return null;
        }
    }

    private async Task ApplyResultsAsync(IRemote remote, PreparedBatch prepared, IReadOnlyList<PushResult> results, SyncReport report, CancellationToken cancellationToken)
    {
        var batch = prepared.Entries;
        await using var scope = await context.Store.BeginWriteAsync(cancellationToken);
        // The records read for the batch are still current until a merge of this loop writes (it may move or remove
        // a record); from then on each one is read again.
        var current = batch.DistinctBy(e => (e.Id, e.Kind)).Count() == batch.Count;
        foreach (var (entry, result) in batch.Zip(results))
        {
            await context.Store.DequeueAsync(entry.ChangeId, cancellationToken);
            if (result.Status == PushStatus.Accepted)
            {
                await AcceptAsync(entry, result, report, cancellationToken, current ? prepared.Artifacts.GetValueOrDefault((entry.Id, entry.Kind)) : null);
            }
            else
            {
                current = false;
                await MergeRejectedAsync(remote, entry, result, report, cancellationToken);
            }
        }

        await scope.CommitAsync(cancellationToken);
    }

    /// <param name="known">The artifact's record when the caller has just read it and nothing has written it since.</param>
    internal async Task AcceptAsync(OutboxEntry entry, PushResult result, SyncReport report, CancellationToken cancellationToken, StoredArtifact? known = null)
    {
        var artifact = known ?? await context.Store.GetAsync(entry.Id, entry.Kind, cancellationToken);
        report.Pushed.Add(new SyncItem(entry.Id, entry.Kind, result.Version));
        if (artifact is null)
            return;
        if (entry.Deleted && artifact.Deleted)
        {
            await context.Store.RemoveAsync(artifact.Id, artifact.Kind, cancellationToken);
            return;
        }

        var sentWithRemoteState = _sentWithRemoteState.TryGetValue(entry.ChangeId, out var sentHash);
        await context.Store.PutAsync(artifact with
        {
            BaseVersion = result.Version,
            BaseHash = entry.Deleted ? null : sentWithRemoteState ? sentHash : entry.ContentHash,
            RemoteState = sentWithRemoteState ? artifact.RemoteState : null,
        }, cancellationToken);
    }

    private async Task MergeRejectedAsync(IRemote remote, OutboxEntry entry, PushResult result, SyncReport report, CancellationToken cancellationToken)
    {
        var local = await context.Store.GetAsync(entry.Id, entry.Kind, cancellationToken);
        var head = new RemoteHead(result.Id, result.Kind, result.Version, result.Content ?? "", result.ContentHash ?? ContentHash.Of(result.Content ?? ""), result.Deleted, result.Author, result.Path);
        if (local is not null && local.BaseVersion == 0 && !local.Deleted && await IsNewLocalArtifactAsync(local, cancellationToken))
        {
            // Created offline with an id someone else took meanwhile: renumber ours, never overwrite theirs.
            var renumbered = await Renumbering.RenumberAsync(context, remote, local, cancellationToken);
            report.Renumbered.Add(new RenumberedItem(local.Id, renumbered.Id, local.Kind, renumbered.Path));
            return;
        }

        var outcome = await _reconciler.ApplyAsync(local, head, localEdited: true, dryRun: false, cancellationToken);
        switch (outcome)
        {
            case Outcome.Conflict:
                var path = (await context.Store.GetAsync(entry.Id, entry.Kind, cancellationToken))?.Path ?? local?.Path ?? "";
                report.Conflicts.Add(new ConflictItem(entry.Id, entry.Kind, path, result.Version, result.Author));
                break;
            case Outcome.Merged:
                report.Merged.Add(new SyncItem(entry.Id, entry.Kind, result.Version));
                break;
            default:
                report.Pulled.Add(new SyncItem(entry.Id, entry.Kind, result.Version));
                break;
        }
    }

    private async Task<bool> IsNewLocalArtifactAsync(StoredArtifact local, CancellationToken cancellationToken) =>
        (await context.Store.HistoryAsync(local.Id, local.Kind, cancellationToken)).Any(h => h.Operation == "create");

    /// <summary>Artifacts with a local change that is not yet in the outbox.</summary>
    /// <param name="among">Look only at these records (just written, nothing has changed them since); null: every
    /// changed record of the cache.</param>
    private async Task<List<StoredArtifact>> CandidatesAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken, IReadOnlyList<StoredArtifact>? among = null)
    {
        using var span = Telemetry.Source.StartActivity("push.candidates");
        var outbox = await context.Store.OutboxAsync(cancellationToken);
        // A refused change stays set aside until the artifact changes again; then the new content gets its own try.
        var retired = new List<OutboxEntry>();
        foreach (var entry in outbox.Where(e => e.Rejected))
        {
            if (await context.Store.GetAsync(entry.Id, entry.Kind, cancellationToken) is { } now && (now.ContentHash != entry.ContentHash || now.Deleted != entry.Deleted))
                retired.Add(entry);
        }

        // The records ChangedAsync would return of these, in its order (kind, then id).
        var artifacts = among is null
            ? await context.Store.ChangedAsync(cancellationToken)
            : [.. among.Where(a => a.Deleted || a.Conflicted || a.BaseHash is null || a.BaseHash != a.ContentHash)
                .OrderBy(a => a.Kind.Name(), StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)];
        if (retired.Count > 0)
        {
            await using var scope = await context.Store.BeginWriteAsync(cancellationToken);
            foreach (var entry in retired)
                await context.Store.DequeueAsync(entry.ChangeId, cancellationToken);
            await scope.CommitAsync(cancellationToken);
        }

        var queued = outbox.Except(retired).Select(e => (e.Id, e.Kind)).ToHashSet();
        var candidates = new List<StoredArtifact>();
        foreach (var artifact in artifacts)
        {
            if (artifact.Conflicted || queued.Contains((artifact.Id, artifact.Kind)) || !Selected(ids, artifact.Id))
                continue;
            if (artifact.Deleted ? artifact.BaseVersion > 0 : await _reconciler.HasLocalEditAsync(artifact, cancellationToken))
                candidates.Add(artifact);
        }

        return candidates;
    }

    /// <summary>Queues a change for each artifact and returns the entries queued.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> EnqueueAsync(IReadOnlyList<StoredArtifact> artifacts, CancellationToken cancellationToken)
    {
        if (artifacts.Count == 0)
            return [];
        using var span = Telemetry.Source.StartActivity("push.queue")?.SetTag("agent_sync.changes", artifacts.Count);
        await using var scope = await context.Store.BeginWriteAsync(cancellationToken);
        var entries = new List<OutboxEntry>(artifacts.Count);
        foreach (var artifact in artifacts)
        {
            var description = artifact.Deleted ? "delete" : artifact.BaseVersion == 0 ? "create" : "edit";
            var entry = new OutboxEntry(Guid.NewGuid(), artifact.Id, artifact.Kind, artifact.BaseVersion, artifact.ContentHash,
                artifact.Deleted, context.Identity.Email, description, DateTimeOffset.UtcNow, 0, null, false);
            await context.Store.EnqueueAsync(entry, cancellationToken);
            entries.Add(entry);
        }

        await scope.CommitAsync(cancellationToken);
        return entries;
    }

    private async Task<List<OutboxEntry>> PendingAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken) =>
        [.. (await context.Store.OutboxAsync(cancellationToken)).Where(e => !e.Rejected && Selected(ids, e.Id))];

    /// <summary>Like git's "pathspec did not match": an id that names nothing is a typo, not a push of nothing.</summary>
    private async Task RequireKnownAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count == 0)
            return;
        var known = (await context.Store.ListAsync(null, null, cancellationToken)).Select(a => a.Id)
            .Concat((await context.Store.OutboxAsync(cancellationToken)).Select(e => e.Id))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is { } unknown)
            throw SyncException.Usage($"{unknown} is not in the cache or the working tree; check 'agent list' (nothing was pushed)");
    }

    private static bool Selected(IReadOnlyCollection<string>? ids, string id) =>
        ids is null || ids.Count == 0 || ids.Contains(id, StringComparer.OrdinalIgnoreCase);
}
