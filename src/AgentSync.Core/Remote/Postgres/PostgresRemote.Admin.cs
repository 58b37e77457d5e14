using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace AgentSync.Remote.Postgres;

// The calls beyond IRemote: membership, the remote audit log and the GDPR erase. Same functions as over REST.
public sealed partial class PostgresRemote : IRemoteAudit
{
    Task<long> IRemoteAudit.AppendAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken) =>
        AppendAuditJsonAsync(project, operation, outcome, detailsJson, cancellationToken);

    Task<IReadOnlyList<RemoteAuditEntry>> IRemoteAudit.ListAuditAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) =>
        AuditListAsync(project, since, cancellationToken);

    string IRemoteAudit.ComputeAuditHash(string project, RemoteAuditEntry entry) => AuditChain.PostgresHash(project, entry);

    public async Task AddMemberAsync(string project, Guid user, string? email, CancellationToken cancellationToken) =>
        await QueryAsync(
            "select 1 from public.agent_sync_add_member(p_project => $1, p_client_schema => $2, p_user => $3, p_email => $4)",
            [Text(project), Schema(), new() { Value = user, NpgsqlDbType = NpgsqlDbType.Uuid }, Text(email)],
            _ => 0,
            cancellationToken);

    /// <summary>Appends to the project's hash chain; returns the entry's sequence number.</summary>
    /// <param name="details">A JSON object; an <c>actor</c> key names the actor when the connection has no JWT e-mail.</param>
    public Task<long> AuditAppendAsync(string project, string operation, string outcome, JsonElement? details, CancellationToken cancellationToken) =>
        AppendAuditJsonAsync(project, operation, outcome, details?.GetRawText() ?? "{}", cancellationToken);

    private async Task<long> AppendAuditJsonAsync(string project, string operation, string outcome, string json, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(AuditAppendSql, AuditAppendParameters(project, operation, outcome, json), r => (Sequence: r.GetInt64(0), Privileged: r.GetBoolean(1)), cancellationToken);
        _serviceRole = rows[0].Privileged;
        return rows[0].Sequence;
    }

    /// <summary>Whether the caller acts with full rights (superuser or BYPASSRLS), as the last audit append found.</summary>
    bool? IRemoteAudit.ServiceRole => _serviceRole;

    private bool? _serviceRole;

    /// <summary>
    /// The append, and whether the caller is privileged (superuser or BYPASSRLS), asked in the same statement: a record
    /// whose details state it (<c>service_role</c>, see AuditTrail.Details) gets the server's answer, so it holds even
    /// when the command did not ask at connect (<see cref="ConnectForWorkAsync"/>). The details are rebuilt only when
    /// they say otherwise (a pull of 1,000 sends ~70 KB of them).
    /// </summary>
    private const string AuditAppendSql =
        """
        select public.agent_sync_audit_append(p_project => $1, p_client_schema => $2, p_operation => $3, p_outcome => $4,
                 p_details => case when $5 ? 'service_role' and ($5 -> 'service_role') is distinct from pg_catalog.to_jsonb(c.privileged)
                                   then $5 || pg_catalog.jsonb_build_object('service_role', c.privileged) else $5 end),
               c.privileged
        from (select coalesce((select r.rolsuper or r.rolbypassrls from pg_catalog.pg_roles r where r.rolname = current_user), false) as privileged) c
        """;

    private NpgsqlParameter[] AuditAppendParameters(string project, string operation, string outcome, string json)
    {
        // Rebuilt only when an actor is missing: the details of a pull of 1,000 list every artifact (~70 KB), and
        // turning them into a JSON tree and back took longer than sending them.
        if (_author.Value is { } author && !NamesActor(json) && JsonNode.Parse(json) is JsonObject body)
        {
            body["actor"] = author;
            json = body.ToJsonString();
        }

        return [Text(project), Schema(), Text(operation), Text(outcome), new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb }];
    }

    /// <summary>The append runs in a transaction of its own connection, committed or rolled back by the caller; until
    /// then it holds the project's audit chain (other appends to it wait, for milliseconds).</summary>
    async Task<IPendingAuditEntry> IRemoteAudit.PrepareAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(TraceComment() + AuditAppendSql, connection, transaction);
            command.Parameters.AddRange(AuditAppendParameters(project, operation, outcome, detailsJson));
            long sequence;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (sequence, _serviceRole) = (reader.GetInt64(0), reader.GetBoolean(1));
            }

            var pending = new PendingAuditEntry(this, connection, transaction, sequence);
            connection = null;
            return pending;
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Describe, cancellationToken) is var translated && translated != e)
        {
            throw translated;
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    private sealed class PendingAuditEntry(PostgresRemote remote, NpgsqlConnection connection, NpgsqlTransaction transaction, long sequence) : IPendingAuditEntry
    {
        public async Task<long> CommitAsync(CancellationToken cancellationToken)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken);
                return sequence;
            }
            catch (Exception e) when (PostgresErrors.Translate(e, remote.Describe, cancellationToken) is var translated && translated != e)
            {
                throw translated;
            }
        }

        /// <summary>Rolls back what was not committed (disposing an open transaction does), and returns the connection.</summary>
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>True when <paramref name="json"/> is not an object (nothing to add to) or already has an actor.</summary>
    /// <remarks>Reads the top level only and stops at the actor (our details name it first): parsing the whole record
    /// of a push of 1,000 to look for one name took ~1.4 ms (perf).</remarks>
    private static bool NamesActor(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("actor"u8))
                return true;
            reader.Read();
            reader.Skip();
        }

        return false;
    }

    public async Task<IReadOnlyList<RemoteAuditEntry>> AuditListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            select seq, created_at, actor, actor_pseudonym, operation, outcome, details::text, prev_hash, row_hash
            from public.agent_sync_audit_list(p_project => $1, p_client_schema => $2, p_since => $3)
            """,
            [Text(project), Schema(), new() { Value = (object?)since ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz }],
            r => new RemoteAuditEntry(
                r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetGuid(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetString(7), r.GetString(8)),
            cancellationToken);

    /// <summary>Erases an e-mail from every row of the remote (service role or owner only); the receipt counts rows.</summary>
    public async Task<JsonDocument> ForgetAsync(string email, CancellationToken cancellationToken)
    {
        var receipt = await ScalarAsync<string>(
            "select public.agent_sync_forget(p_email => $1, p_client_schema => $2)::text",
            [Text(email), Schema()],
            cancellationToken);
        return JsonDocument.Parse(receipt);
    }
}
