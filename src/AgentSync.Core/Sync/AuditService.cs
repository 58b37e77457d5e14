using AgentSync.Remote;
using AgentSync.Store;

namespace AgentSync.Sync;

public sealed record AuditReport(IReadOnlyList<AuditEntry> Local, IReadOnlyList<RemoteAuditEntry>? Remote, string? RemoteProblem, (RemoteAuditEntry Entry, string Reason)? Break, bool Verified);

/// <summary><c>agent sync audit</c>: the local record, the remote's hash-chained log, and with --verify the first broken link.</summary>
public static class AuditService
{
    public static async Task<AuditReport> ComputeAsync(SyncContext context, DateTimeOffset? since, bool verify, Func<IRemote>? remoteFactory, CancellationToken cancellationToken)
    {
        var local = await context.Store.AuditAsync(since, cancellationToken);
        if (context.Config.Remote is not { } url)
            return new AuditReport(local, null, verify ? "no remote is configured: there is no remote chain to verify" : null, null, false);
        try
        {
            await using var remote = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url);
            await remote.ConnectAsync(cancellationToken);
            if (remote is not IRemoteAudit audit)
                return new AuditReport(local, null, $"{remote.Describe} keeps no audit log", null, false);
            // Verification needs the whole chain from its first row, whatever --since shows.
            var all = await audit.ListAuditAsync(context.Config.Project, null, cancellationToken);
            var shown = since is { } s ? all.Where(e => e.CreatedAt >= s).ToList() : all;
            var broken = verify ? AuditChain.FirstBreak(audit, context.Config.Project, all) : null;
            return new AuditReport(local, shown, null, broken, verify);
        }
        catch (RemoteUnavailableException e)
        {
            return new AuditReport(local, null, $"the remote is unreachable ({e.Message})", null, false);
        }
    }
}
