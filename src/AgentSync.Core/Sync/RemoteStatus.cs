using AgentSync.Remote;

namespace AgentSync.Sync;

public enum RemoteReachability
{
    None,
    Reachable,
    Unreachable,
}

/// <summary>
/// The remote half of <c>agent sync status</c>: changes on the remote not yet pulled (read, never applied), whether the
/// remote answered, and who we are to it. Offline it says so and the local half still works.
/// </summary>
public sealed record RemoteStatus(RemoteReachability Reachability, IReadOnlyList<RemoteChangeRecord> Incoming, string? Reason, bool ServiceRole)
{
    /// <summary>How many unpulled changes status lists at most; the count stays exact up to this.</summary>
    public const int MaxListed = 10_000;

    public static async Task<RemoteStatus> ComputeAsync(SyncContext context, Func<IRemote>? remoteFactory, CancellationToken cancellationToken)
    {
        if (context.Config.Remote is not { } url)
            return new RemoteStatus(RemoteReachability.None, [], null, false);
        try
        {
            await using var remote = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url);
            RemoteInfo info;
            using (Diagnostics.Telemetry.RemoteCall("connect", remote.Describe))
                info = await remote.ConnectAsync(cancellationToken);
            var cursor = await context.Store.GetCursorAsync(RemoteFactory.Key(url), context.Config.Project, cancellationToken);
            var incoming = new List<RemoteChangeRecord>();
            var bases = (await context.Store.ListAsync(null, null, cancellationToken)).ToDictionary(a => (a.Id, a.Kind), a => a.BaseVersion);
            while (incoming.Count < MaxListed)
            {
                PullPage page;
                using (Diagnostics.Telemetry.RemoteCall("pull", remote.Describe))
                    page = await remote.PullAsync(context.Config.Project, cursor, PullService.PageSize, cancellationToken);
                // Our own pushes are in the change log too; they are not news.
                incoming.AddRange(page.Changes.Where(c => !bases.TryGetValue((c.Id, c.Kind), out var v) || v < c.Version));
                cursor = page.LastSequence(cursor);
                if (!page.More)
                    break;
            }

            return new RemoteStatus(RemoteReachability.Reachable, incoming, null, info.ServiceRole);
        }
        catch (RemoteUnavailableException e)
        {
            return new RemoteStatus(RemoteReachability.Unreachable, [], e.Message, false);
        }
    }
}
