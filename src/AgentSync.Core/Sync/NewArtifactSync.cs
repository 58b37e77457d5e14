using AgentSync.Artifacts;
using AgentSync.Remote;

namespace AgentSync.Sync;

/// <summary>The result of a new-* command: the file, and whether the remote got it at once.</summary>
public sealed record SharedArtifact(NewArtifact Created, bool Pushed, string? QueuedBecause);

/// <summary>
/// new-* with a remote: the id comes from the remote's atomic allocator (so two developers never get the same one) and
/// the new artifact is pushed at once, each with a short timeout. Offline, the local maximum + 1 is used and the push
/// is queued; a collision found later is resolved by renumbering ours (see <see cref="Renumbering"/>).
/// </summary>
public static class NewArtifactSync
{
    public static async Task<SharedArtifact> CreateAsync(SyncContext context, ArtifactKind kind, string scope, string? title, Func<IRemote>? remoteFactory, CancellationToken cancellationToken)
    {
        if (context.Config.Remote is not { } url)
        {
            var local = kind == ArtifactKind.Runbook
                ? await NewArtifactService.CreateRunbookAsync(context, scope, cancellationToken)
                : await NewArtifactService.CreateAsync(context, kind, scope, title!, NewArtifactService.LocalAllocator, cancellationToken);
            return new SharedArtifact(local, false, null);
        }

        var timeout = TimeSpan.FromSeconds(context.Config.NewIdTimeoutSeconds);
        string? offline = null;
        async Task<(long, bool)> AllocateAsync(string s, long localMax, CancellationToken ct)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await using var remote = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url);
                await remote.ConnectAsync(limit.Token);
                var number = await remote.NextIdAsync(context.Config.Project, s, limit.Token);
                // Ids made offline and not pushed yet are only known here; never hand out one of those.
                return (Math.Max(number, localMax + 1), true);
            }
            catch (Exception e) when (e is RemoteUnavailableException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                offline = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
                return (localMax + 1, false);
            }
        }

        var created = kind == ArtifactKind.Runbook
            ? await NewArtifactService.CreateRunbookAsync(context, scope, cancellationToken)
            : await NewArtifactService.CreateAsync(context, kind, scope, title!, AllocateAsync, cancellationToken);
        if (offline is not null)
        {
            await new PushService(context, remoteFactory).QueueAsync([created.Id], cancellationToken);
            return new SharedArtifact(created, false, offline);
        }

        using var pushLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        pushLimit.CancelAfter(timeout);
        try
        {
            var report = await new PushService(context, remoteFactory).RunAsync([created.Id], dryRun: false, pushLimit.Token);
            return report.Unreachable is null && report.Pushed.Any(p => p.Id == created.Id && p.Kind == kind)
                ? new SharedArtifact(created, true, null)
                : new SharedArtifact(created, false, report.Unreachable ?? "the push did not complete");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SharedArtifact(created, false, $"no answer within {timeout.TotalSeconds:0} s");
        }
    }
}
