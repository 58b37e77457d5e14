using System.Text.Json;
using AgentSync.Remote.Postgres;

namespace AgentSync.Remote.Rest;

// The calls beyond IRemote, with the same signatures as PostgresRemote's: membership, the remote audit log and the
// GDPR erase. The functions decide who may call them (forget needs the service role).
public sealed partial class RestRemote : IRemoteAudit
{
    async Task<long> IRemoteAudit.AppendAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken)
    {
        using var details = JsonDocument.Parse(detailsJson);
        return await AuditAppendAsync(project, operation, outcome, details.RootElement.Clone(), cancellationToken);
    }

    Task<IReadOnlyList<RemoteAuditEntry>> IRemoteAudit.ListAuditAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) =>
        AuditListAsync(project, since, cancellationToken);

    string IRemoteAudit.ComputeAuditHash(string project, RemoteAuditEntry entry) => AuditChain.PostgresHash(project, entry);

    // The function's p_details is jsonb: send an empty object rather than null when the caller has no details.
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public Task AddMemberAsync(string project, Guid user, string? email, CancellationToken cancellationToken) =>
        CallAsync<AddMemberArgs, object?>("agent_sync_add_member", new AddMemberArgs(project, RemoteSchema.Version, user, email), RestJsonContext.Relaxed.AddMemberArgs, null, cancellationToken);

    /// <summary>Appends to the project's hash chain; returns the entry's sequence number.</summary>
    public Task<long> AuditAppendAsync(string project, string operation, string outcome, JsonElement? details, CancellationToken cancellationToken) =>
        CallAsync("agent_sync_audit_append", new AuditAppendArgs(project, RemoteSchema.Version, operation, outcome, details ?? EmptyObject), RestJsonContext.Relaxed.AuditAppendArgs, RestJsonContext.Relaxed.Int64, cancellationToken);

    /// <remarks>PostgREST cuts the answer at max_rows (1000 on Supabase); page with <paramref name="since"/>.</remarks>
    public async Task<IReadOnlyList<RemoteAuditEntry>> AuditListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var rows = await CallAsync("agent_sync_audit_list", new AuditListArgs(project, RemoteSchema.Version, since), RestJsonContext.Relaxed.AuditListArgs, RestJsonContext.Relaxed.AuditRowArray, cancellationToken);
        return [.. rows.Select(r => new RemoteAuditEntry(r.Seq, r.CreatedAt, r.Actor, r.ActorPseudonym, r.Operation, r.Outcome, r.Details.GetRawText(), r.PrevHash, r.RowHash))];
    }

    /// <summary>Erases an e-mail from every row of the remote (service role only); the receipt counts rows.</summary>
    public async Task<JsonDocument> ForgetAsync(string email, CancellationToken cancellationToken)
    {
        var receipt = await CallAsync("agent_sync_forget", new ForgetArgs(email, RemoteSchema.Version), RestJsonContext.Relaxed.ForgetArgs, RestJsonContext.Relaxed.JsonElement, cancellationToken);
        return JsonDocument.Parse(receipt.GetRawText());
    }
}
