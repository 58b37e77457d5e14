using AgentSync.Artifacts;

namespace AgentSync.Store;

public sealed partial class LocalStore
{
    private const string OutboxColumns =
        "change_id, id, kind, base_version, content_hash, deleted, author, description, created_at, attempts, last_error, rejected";

    public Task EnqueueAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunLocked(Rows($"INSERT INTO outbox ({OutboxColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, NULL, 0)")
            .Text(1, entry.ChangeId.ToString())
            .Text(2, entry.Id)
            .Text(3, entry.Kind.Name())
            .Integer(4, entry.BaseVersion)
            .Text(5, entry.ContentHash)
            .Integer(6, entry.Deleted ? 1 : 0)
            .Text(7, entry.Author)
            .Text(8, entry.Description)
            .Text(9, Timestamp(entry.CreatedAt)));
        return Task.CompletedTask;
    }

    /// <summary>Every queued change, oldest first, including the ones the remote refused for good. Positional (see
    /// <see cref="Rows"/>): a push reads the whole outbox several times.</summary>
    public Task<IReadOnlyList<OutboxEntry>> OutboxAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<OutboxEntry>>(ReadAllLocked(Rows($"SELECT {OutboxColumns} FROM outbox ORDER BY created_at, change_id"), static row => new OutboxEntry(
            Guid.Parse(row.String(0)),
            row.String(1),
            ArtifactKinds.Parse(row.String(2)),
            row.Int64(3),
            row.String(4),
            row.Int64(5) != 0,
            row.String(6),
            row.IsNull(7) ? null : row.String(7),
            ParseTimestamp(row.String(8)),
            (int)row.Int64(9),
            row.IsNull(10) ? null : row.String(10),
            row.Int64(11) != 0)));
    }

    public async Task<OutboxEntry?> OutboxEntryAsync(string id, ArtifactKind kind, CancellationToken cancellationToken) =>
        (await OutboxAsync(cancellationToken)).FirstOrDefault(e => e.Id == id && e.Kind == kind);

    /// <summary>Marks changes as sent before they go out: from then on their content is frozen under their change id.</summary>
    /// <remarks>Positional (see <see cref="Rows"/>): once per change of every batch a push sends.</remarks>
    public Task MarkSentAsync(IEnumerable<Guid> changeIds, string? error, CancellationToken cancellationToken)
    {
        var statement = Rows("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE change_id = ?1");
        foreach (var changeId in changeIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunLocked(statement.Text(1, changeId.ToString()).Text(2, error));
        }

        return Task.CompletedTask;
    }

    public async Task RejectAsync(Guid changeId, string reason, CancellationToken cancellationToken)
    {
        var command = Command("UPDATE outbox SET rejected = 1, last_error = $reason WHERE change_id = $change_id");
        command.Parameters.AddWithValue("$change_id", changeId.ToString());
        command.Parameters.AddWithValue("$reason", reason);
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <remarks>Positional (see <see cref="Rows"/>): once per change a push's answer settles.</remarks>
    public Task DequeueAsync(Guid changeId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunLocked(Rows("DELETE FROM outbox WHERE change_id = ?1").Text(1, changeId.ToString()));
        return Task.CompletedTask;
    }

    public async Task<long> GetCursorAsync(string remote, string project, CancellationToken cancellationToken)
    {
        var command = Command("SELECT last_seq FROM cursors WHERE remote = $remote AND project = $project");
        command.Parameters.AddWithValue("$remote", remote);
        command.Parameters.AddWithValue("$project", project);
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }

    public async Task SetCursorAsync(string remote, string project, long lastSequence, CancellationToken cancellationToken)
    {
        var command = Command("INSERT INTO cursors (remote, project, last_seq) VALUES ($remote, $project, $seq) ON CONFLICT (remote, project) DO UPDATE SET last_seq = excluded.last_seq");
        command.Parameters.AddWithValue("$remote", remote);
        command.Parameters.AddWithValue("$project", project);
        command.Parameters.AddWithValue("$seq", lastSequence);
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }
}
