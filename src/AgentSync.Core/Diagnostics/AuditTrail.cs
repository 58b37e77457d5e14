using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
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
    /// <summary>
    /// The record's details as JSON. Written straight to UTF-8: a pull of 1,000 artifacts lists them all, and building a
    /// JSON tree of them first cost more than the rest of the record (it is written twice, remote and local).
    /// </summary>
    public static string Details(Operation operation, string actor, string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (operation.Artifacts.Count * 80));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("actor", actor);
            json.WriteStartArray("artifacts");
            foreach (var a in operation.Artifacts)
            {
                json.WriteStartObject();
                json.WriteString("id", a.Id);
                json.WriteString("kind", a.Kind);
                json.WriteNumber("version", a.Version);
                json.WriteString("change", a.Change);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("counts");
            foreach (var (name, value) in operation.Counts)
                json.WriteNumber(name, value);
            json.WriteEndObject();
            json.WriteNumber("duration_ms", Math.Round(operation.DurationMs, 1));
            if (operation.Remote is not null)
            {
                json.WriteString("remote", operation.Remote);
                json.WriteBoolean("service_role", operation.ServiceRole);
            }

            if (error is not null)
                json.WriteString("error", error);
            if (operation.Problems.Count > 0)
            {
                json.WriteStartArray("problems");
                foreach (var problem in operation.Problems.Distinct())
                    json.WriteStringValue(Scrubbing.SecretMasker.Mask(problem));
                json.WriteEndArray();
            }

            if (Activity.Current is { } activity)
                json.WriteString("trace_id", activity.TraceId.ToString());
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
            TakeServiceRole(audit, operation);
            return null;
        }
        catch (Exception e) when (e is RemoteException or RemoteUnavailableException or JsonException)
        {
            operation.Counts["remote_audit_failed"] = 1;
            return e.Message;
        }
    }

    /// <summary>
    /// Starts appending the operation, as it reads with <paramref name="report"/> added, to the remote's audit log
    /// while the caller commits the local work the report describes: the entry is sent now and committed by
    /// <see cref="PendingRemoteRecord.CommitAsync"/> only once that work has committed; disposing it first withdraws
    /// it, so a failed commit leaves no record of work that did not happen. The operation itself is left as it is.
    /// </summary>
    public static PendingRemoteRecord BeginRecordRemote(IRemote remote, SyncContext context, Operation operation, SyncReport report, CancellationToken cancellationToken)
    {
        var span = Telemetry.RemoteCall("audit_append", remote.Describe);
        var audit = remote as IRemoteAudit;
        var sending = audit?.PrepareAuditAsync(context.Config.Project, operation.Name, Outcome(report), Details(operation.With(report), context.Identity.Email, null), cancellationToken);
        return new PendingRemoteRecord(operation, audit, sending, span);
    }

    /// <summary>The caller's privilege as the remote's append found it (see <see cref="IRemoteAudit.ServiceRole"/>), for
    /// the local record, which is written after it.</summary>
    private static void TakeServiceRole(IRemoteAudit audit, Operation operation)
    {
        if (audit.ServiceRole is { } privileged)
            operation.ServiceRole = privileged;
    }

    /// <summary>An audit record sent to the remote and waiting for the local commit (<see cref="BeginRecordRemote"/>).</summary>
    public sealed class PendingRemoteRecord(Operation operation, IRemoteAudit? audit, Task<IPendingAuditEntry>? sending, Activity? span) : IAsyncDisposable
    {
        private bool _settled;

        /// <summary>Commits the entry; a failure is counted in the local record, never thrown (as in <see cref="RecordRemoteAsync"/>).</summary>
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            _settled = true;
            using (span)
            {
                if (sending is null)
                    return;
                try
                {
                    await using var entry = await sending;
                    await entry.CommitAsync(cancellationToken);
                    TakeServiceRole(audit!, operation);
                }
                catch (Exception e) when (e is RemoteException or RemoteUnavailableException or JsonException)
                {
                    operation.Counts["remote_audit_failed"] = 1;
                }
            }
        }

        /// <summary>Withdraws the entry unless it was committed.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_settled)
                return;
            _settled = true;
            using (span)
            {
                if (sending is null)
                    return;
                try
                {
                    await (await sending).DisposeAsync();
                }
#pragma warning disable CA1031 // Withdrawn while a local failure unwinds: that failure is the one to report; an entry never sent needs nothing.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }

    /// <summary>"ok", "conflicts", "queued" or "refused", from a push or pull report.</summary>
    public static string Outcome(SyncReport report) => report.Unreachable is not null ? "queued"
        : report.Conflicts.Count > 0 ? "conflicts"
        : report.Rejected.Count > 0 || report.Errors.Count > 0 ? "refused"
        : "ok";
}
