using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentSync.Artifacts;
using Microsoft.Data.Sqlite;

namespace AgentSync.Remote.SqliteFile;

/// <summary>One row of the file's audit log, with the hashes that chain it to the row before.</summary>
public sealed record SqliteAuditEntry(
    long Sequence,
    string Project,
    string Operation,
    string Outcome,
    string DetailsJson,
    string Actor,
    DateTimeOffset CreatedAt,
    string PreviousHash,
    string RowHash)
{
    /// <summary>The hash of a project's first row's predecessor.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// SHA-256 over the previous row's hash and every field, newline-separated; the JSON, which may itself hold
    /// newlines, is length-prefixed so that text shifted between fields cannot give two rows the same hash.
    /// </summary>
    public static string ComputeHash(string previousHash, string project, string operation, string outcome, string detailsJson, string actor, string createdAt) =>
        ContentHash.Of(string.Join('\n', previousHash, project, operation, outcome, detailsJson.Length.ToString(CultureInfo.InvariantCulture), detailsJson, actor, createdAt));

    /// <summary>True when this row's hash is what its fields and predecessor say it must be.</summary>
    public bool HashMatches(string previousHash) =>
        string.Equals(previousHash, PreviousHash, StringComparison.Ordinal) &&
        string.Equals(RowHash, ComputeHash(PreviousHash, Project, Operation, Outcome, DetailsJson, ActorPseudonym, FormatTime(CreatedAt)), StringComparison.Ordinal);

    /// <summary>What the hash covers instead of the actor: a stable pseudonym whose mapping forget deletes.</summary>
    public string ActorPseudonym { get; init; } = "";

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

public sealed partial class SqliteFileRemote : IRemoteAudit
{
    /// <remarks>The file numbers rows across all its projects; the chain is per project, so rows are numbered 1..n here.</remarks>
    async Task<IReadOnlyList<RemoteAuditEntry>> IRemoteAudit.ListAuditAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) =>
        [.. (await ListAuditAsync(project, null, cancellationToken).ConfigureAwait(false))
            .Select((e, i) => new RemoteAuditEntry(
                i + 1, e.CreatedAt, e.Actor, Guid.TryParse(e.ActorPseudonym, out var g) ? g : Guid.Empty, e.Operation, e.Outcome,
                e.DetailsJson, e.PreviousHash, e.RowHash))
            .Where(e => since is null || e.CreatedAt >= since)];

    string IRemoteAudit.ComputeAuditHash(string project, RemoteAuditEntry entry) =>
        SqliteAuditEntry.ComputeHash(entry.PreviousHash, project, entry.Operation, entry.Outcome, entry.Details, entry.ActorPseudonym.ToString(), SqliteAuditEntry.FormatTime(entry.CreatedAt));

    /// <summary>
    /// GDPR erase: the person's e-mail is replaced everywhere by a stable label (erased-xxxxxxxx) and the mapping from
    /// e-mail to pseudonym is deleted. The audit chain hashed only the pseudonym, so it still verifies. The append-only
    /// triggers are lifted for this one transaction only.
    /// </summary>
    public async Task<JsonDocument> ForgetAsync(string email, CancellationToken cancellationToken)
    {
        var address = email.Trim().ToLowerInvariant();
        if (!EmailPattern().IsMatch(address))
            throw new RemoteException(RemoteErrorKind.Invalid, $"'{email}' is not an e-mail address", RemoteErrors.Invalid);
        return await WriteAsync(connection =>
        {
            var pseudonym = PseudonymFor(connection, address);
            var label = "erased-" + pseudonym.Replace("-", "", StringComparison.Ordinal)[..8];
            var counts = new Dictionary<string, long>();
            // Freed and rewritten pages are zeroed, so the address cannot be read back from the file's free space.
            Execute(connection, "PRAGMA secure_delete = ON; DROP TRIGGER change_log_append_only_update; DROP TRIGGER audit_log_append_only_update;");
            counts["artifacts"] = Update(connection, "UPDATE artifacts SET author = $label WHERE lower(author) = $email", address, label);
            counts["change_log"] = Update(connection, "UPDATE change_log SET author = $label WHERE lower(author) = $email", address, label);
            counts["change_descriptions"] = ReplaceInDescriptions(connection, address, label);
            counts["audit_log"] = Update(connection, "UPDATE audit_log SET actor = $label WHERE lower(actor) = $email", address, label);
            counts["pseudonyms"] = Update(connection, "DELETE FROM actor_pseudonyms WHERE email = $email", address, label);
            Execute(connection, Schema);
            var receipt = new System.Text.Json.Nodes.JsonObject { ["erased_as"] = label };
            foreach (var (table, count) in counts)
                receipt[table] = count;
            return JsonDocument.Parse(receipt.ToJsonString());
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the address in change descriptions whatever its case, leaving the rest of the text as written.</summary>
    private static long ReplaceInDescriptions(SqliteConnection connection, string email, string label)
    {
        var rows = new List<(long Seq, string Project, string Description)>();
        using (var select = Command(connection, "SELECT seq, project, description FROM change_log WHERE instr(lower(description), $email) > 0"))
        {
            select.Parameters.AddWithValue("$email", email);
            using var reader = select.ExecuteReader();
            while (reader.Read())
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        using var update = Command(connection, "UPDATE change_log SET description = $description WHERE project = $project AND seq = $seq");
        foreach (var (seq, project, description) in rows)
        {
            update.Parameters.Clear();
            update.Parameters.AddWithValue("$description", System.Text.RegularExpressions.Regex.Replace(description, System.Text.RegularExpressions.Regex.Escape(email), label, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            update.Parameters.AddWithValue("$project", project);
            update.Parameters.AddWithValue("$seq", seq);
            update.ExecuteNonQuery();
        }

        return rows.Count;
    }

    private static long Update(SqliteConnection connection, string sql, string email, string label)
    {
        using var command = Command(connection, sql);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$label", label);
        return command.ExecuteNonQuery();
    }

    private static string PseudonymFor(SqliteConnection connection, string actor)
    {
        using (var find = Command(connection, "SELECT pseudonym FROM actor_pseudonyms WHERE email = $email"))
        {
            find.Parameters.AddWithValue("$email", actor.ToLowerInvariant());
            if (find.ExecuteScalar() is string existing)
                return existing;
        }

        var pseudonym = Guid.NewGuid().ToString();
        using var insert = Command(connection, "INSERT INTO actor_pseudonyms (email, pseudonym) VALUES ($email, $pseudonym)");
        insert.Parameters.AddWithValue("$email", actor.ToLowerInvariant());
        insert.Parameters.AddWithValue("$pseudonym", pseudonym);
        insert.ExecuteNonQuery();
        return pseudonym;
    }

    private static string? ActorOf(string detailsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(detailsJson);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("actor", out var actor) && actor.ValueKind == JsonValueKind.String
                ? actor.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // the insert refuses invalid JSON with its own message
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex EmailPattern();

    /// <summary>
    /// Appends one audit row for a sync operation, chained to the project's last row so that a member can verify the
    /// rows they can see without rows of projects they cannot. The actor is the OS user: on a file remote, file
    /// permissions are the identity.
    /// </summary>
    /// <returns>The row's sequence number.</returns>
    public async Task<long> AppendAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome);
        ArgumentNullException.ThrowIfNull(detailsJson);
        return await WriteAsync(connection =>
        {
            RequireProject(connection, project);
            string previous;
            using (var last = Command(connection, "SELECT row_hash FROM audit_log WHERE project = $project ORDER BY seq DESC LIMIT 1"))
            {
                last.Parameters.AddWithValue("$project", project);
                previous = last.ExecuteScalar() as string ?? SqliteAuditEntry.Genesis;
            }
            // The actor is the e-mail the client names, else the OS user; the hash covers its pseudonym only, and
            // every e-mail in the details is stored as a pseudonym, so forget can erase identities without a rehash.
            var actor = ActorOf(detailsJson) ?? _info!.User ?? "unknown";
            var pseudonym = PseudonymFor(connection, actor);
            detailsJson = EmailPattern().Replace(detailsJson, m => "pseudonym:" + PseudonymFor(connection, m.Value.ToLowerInvariant()));
            var now = Timestamp(DateTimeOffset.UtcNow);
            using var insert = Command(connection, """
                INSERT INTO audit_log (project, operation, outcome, details, actor, actor_pseudonym, created_at, prev_hash, row_hash)
                VALUES ($project, $operation, $outcome, $details, $actor, $pseudonym, $now, $prev_hash, $row_hash)
                RETURNING seq
                """);
            insert.Parameters.AddWithValue("$project", project);
            insert.Parameters.AddWithValue("$operation", operation);
            insert.Parameters.AddWithValue("$outcome", outcome);
            insert.Parameters.AddWithValue("$details", detailsJson);
            insert.Parameters.AddWithValue("$actor", actor);
            insert.Parameters.AddWithValue("$pseudonym", pseudonym);
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$prev_hash", previous);
            insert.Parameters.AddWithValue("$row_hash", SqliteAuditEntry.ComputeHash(previous, project, operation, outcome, detailsJson, pseudonym, now));
            try
            {
                return Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
            {
                throw new RemoteException(RemoteErrorKind.Invalid, "audit details are not valid JSON", RemoteErrors.Invalid, e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The audit rows of one project, oldest first, optionally from a point in time on.</summary>
    public async Task<IReadOnlyList<SqliteAuditEntry>> ListAuditAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        return await ReadAsync<IReadOnlyList<SqliteAuditEntry>>(connection =>
        {
            RequireProject(connection, project);
            var sql = new StringBuilder("SELECT seq, project, operation, outcome, details, actor, created_at, prev_hash, row_hash, actor_pseudonym FROM audit_log WHERE project = $project");
            using var select = Command(connection, "");
            select.Parameters.AddWithValue("$project", project);
            if (since is { } from)
            {
                sql.Append(" AND created_at >= $since");
                select.Parameters.AddWithValue("$since", Timestamp(from));
            }
            select.CommandText = sql.Append(" ORDER BY seq").ToString();
            var entries = new List<SqliteAuditEntry>();
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new SqliteAuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), ParseTimestamp(reader.GetString(6)), reader.GetString(7), reader.GetString(8))
                { ActorPseudonym = reader.GetString(9) });
            }
            return entries;
        }, cancellationToken).ConfigureAwait(false);
    }
}
