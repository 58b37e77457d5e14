using System.Globalization;
using System.Text;
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
        string.Equals(RowHash, ComputeHash(PreviousHash, Project, Operation, Outcome, DetailsJson, Actor, FormatTime(CreatedAt)), StringComparison.Ordinal);

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

public sealed partial class SqliteFileRemote
{
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
            var actor = _info!.User ?? "unknown";
            var now = Timestamp(DateTimeOffset.UtcNow);
            using var insert = Command(connection, """
                INSERT INTO audit_log (project, operation, outcome, details, actor, created_at, prev_hash, row_hash)
                VALUES ($project, $operation, $outcome, $details, $actor, $now, $prev_hash, $row_hash)
                RETURNING seq
                """);
            insert.Parameters.AddWithValue("$project", project);
            insert.Parameters.AddWithValue("$operation", operation);
            insert.Parameters.AddWithValue("$outcome", outcome);
            insert.Parameters.AddWithValue("$details", detailsJson);
            insert.Parameters.AddWithValue("$actor", actor);
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$prev_hash", previous);
            insert.Parameters.AddWithValue("$row_hash", SqliteAuditEntry.ComputeHash(previous, project, operation, outcome, detailsJson, actor, now));
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
            var sql = new StringBuilder("SELECT seq, project, operation, outcome, details, actor, created_at, prev_hash, row_hash FROM audit_log WHERE project = $project");
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
                    reader.GetString(4), reader.GetString(5), ParseTimestamp(reader.GetString(6)), reader.GetString(7), reader.GetString(8)));
            }
            return entries;
        }, cancellationToken).ConfigureAwait(false);
    }
}
