using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Sync;

namespace AgentSync.Diagnostics;

/// <summary>
/// Writes the audit record of an operation: always to the local cache, and to the remote's append-only, hash-chained
/// log when the operation reached it. Identities in remote details are turned into pseudonyms by the remote itself.
/// </summary>
public static class AuditTrail
{
    public static string Details(Operation operation, string actor, string? error)
    {
        var artifacts = new JsonArray();
        foreach (var a in operation.Artifacts)
            artifacts.Add((JsonNode)new JsonObject { ["id"] = a.Id, ["kind"] = a.Kind, ["version"] = a.Version, ["change"] = a.Change });
        var counts = new JsonObject();
        foreach (var (name, value) in operation.Counts)
            counts[name] = value;
        var details = new JsonObject
        {
            ["actor"] = actor,
            ["artifacts"] = artifacts,
            ["counts"] = counts,
            ["duration_ms"] = Math.Round(operation.DurationMs, 1),
        };
        if (operation.Remote is not null)
        {
            details["remote"] = operation.Remote;
            details["service_role"] = operation.ServiceRole;
        }
        if (error is not null)
            details["error"] = error;
        if (operation.Problems.Count > 0)
            details["problems"] = new JsonArray([.. operation.Problems.Distinct().Select(p => (JsonNode)Scrubbing.SecretMasker.Mask(p))]);
        if (Activity.Current is { } activity)
            details["trace_id"] = activity.TraceId.ToString();
        return details.ToJsonString();
    }

    public static async Task RecordLocalAsync(LocalStore store, Operation operation, string actor, string outcome, string? error, CancellationToken cancellationToken)
    {
        await using var scope = await store.BeginWriteAsync(cancellationToken);
        await store.AppendAuditAsync(new AuditEntry(operation.StartedAt, actor, operation.Name, outcome, Details(operation, actor, error), null), cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends the operation to the remote's audit log. A failure here never undoes the operation that already
    /// happened; it is reported in the local record instead.
    /// </summary>
    public static async Task<string?> RecordRemoteAsync(IRemote remote, SyncContext context, Operation operation, string outcome, CancellationToken cancellationToken)
    {
        if (remote is not IRemoteAudit audit)
            return null;
        try
        {
            using var span = Telemetry.RemoteCall("audit_append", remote.Describe);
            await audit.AppendAuditAsync(context.Config.Project, operation.Name, outcome, Details(operation, context.Identity.Email, null), cancellationToken);
            return null;
        }
        catch (Exception e) when (e is RemoteException or RemoteUnavailableException or JsonException)
        {
            operation.Counts["remote_audit_failed"] = 1;
            return e.Message;
        }
    }

    /// <summary>"ok", "conflicts", "queued" or "refused", from a push or pull report.</summary>
    public static string Outcome(SyncReport report) => report.Unreachable is not null ? "queued"
        : report.Conflicts.Count > 0 ? "conflicts"
        : report.Rejected.Count > 0 || report.Errors.Count > 0 ? "refused"
        : "ok";
}
