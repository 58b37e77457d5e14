using AgentSync.Artifacts;
using AgentSync.Remote;

namespace AgentSync.Sync;

public sealed record LogEntry(long Version, string Author, DateTimeOffset At, string? Description, bool Deleted, string ContentHash, string Source);

/// <summary><c>agent sync log ID</c>: the versions on the remote, then what was recorded locally and not yet pushed.</summary>
public static class LogService
{
    public static async Task<(IReadOnlyList<LogEntry> Entries, string? Unreachable)> ComputeAsync(SyncContext context, string id, ArtifactKind? kind, Func<IRemote>? remoteFactory, CancellationToken cancellationToken)
    {
        var matches = (await context.Store.ListAsync(kind, null, cancellationToken)).Where(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count > 1)
            throw Errors.SyncException.Usage($"{id} is a {string.Join(" and a ", matches.Select(m => m.Kind.Name()))}; add --kind to say which");
        var local = matches.FirstOrDefault() ?? throw Errors.SyncException.Usage($"{id} is not in the cache; check 'agent list'");
        var entries = new List<LogEntry>();
        string? unreachable = null;
        if (context.Config.Remote is { } url)
        {
            try
            {
                await using var remote = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url);
                await remote.ConnectAsync(cancellationToken);
                foreach (var change in await remote.LogAsync(context.Config.Project, local.Id, local.Kind, cancellationToken))
                    entries.Add(new LogEntry(change.Version, change.Author, change.CreatedAt, change.Description, change.Deleted, change.ContentHash, "remote"));
            }
            catch (RemoteUnavailableException e)
            {
                unreachable = e.Message;
            }
        }

        // Local history after the last remote version: what this workspace changed that the remote has not seen.
        var history = await context.Store.HistoryAsync(local.Id, local.Kind, cancellationToken);
        var lastRemote = entries.Count > 0 ? entries[^1].At : DateTimeOffset.MinValue;
        foreach (var h in history.Where(h => h.At > lastRemote && h.Operation is not ("pull" or "pull-delete")))
            entries.Add(new LogEntry(0, h.Author ?? "", h.At, h.Operation, h.Operation == "delete", h.ContentHash ?? "", "local"));
        return (entries, unreachable);
    }
}
