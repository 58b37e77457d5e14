using AgentSync.Artifacts;
using Microsoft.Data.Sqlite;

namespace AgentSync.Remote.SqliteFile;

public sealed partial class SqliteFileRemote
{
    public async Task<IReadOnlyList<PushResult>> PushAsync(string project, IReadOnlyList<RemoteChange> batch, CancellationToken cancellationToken)
    {
        // Every item is checked before the transaction starts, so a bad item can never leave half a batch behind.
        RemoteValidation.ValidateBatch(project, batch);
        return await WriteAsync<IReadOnlyList<PushResult>>(connection =>
        {
            var lastSequence = ReadLastSequence(connection, project) ?? throw ProjectNotFound(project);
            using var push = new PushCommands(connection, project, Timestamp(DateTimeOffset.UtcNow));
            var results = new PushResult[batch.Count];
            for (var i = 0; i < batch.Count; i++)
                results[i] = push.Apply(batch[i], ref lastSequence);
            push.SaveLastSequence(lastSequence);
            return results;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The statements of one push, prepared once and re-bound per item: a 1,000-item batch compiles five statements,
    /// not five thousand. Lives only inside the push's write transaction.
    /// </summary>
    private sealed class PushCommands : IDisposable
    {
        private readonly SqliteCommand _findChange;
        private readonly SqliteCommand _findHead;
        private readonly SqliteCommand _upsertHead;
        private readonly SqliteCommand _appendChange;
        private readonly SqliteCommand _saveSequence;

        public PushCommands(SqliteConnection connection, string project, string now)
        {
            _findChange = Command(connection,
                "SELECT project, id, kind, version, seq, content, content_hash, deleted, author, path FROM change_log WHERE change_id = $change_id");
            _findChange.Parameters.Add("$change_id", SqliteType.Blob);

            _findHead = Command(connection,
                "SELECT version, content, content_hash, deleted, author, path FROM artifacts WHERE project = $project AND id = $id AND kind = $kind");
            AddArtifactKey(_findHead, project);

            _upsertHead = Command(connection, """
                INSERT INTO artifacts (project, id, kind, version, content, content_hash, deleted, author, path, created_at, updated_at)
                VALUES ($project, $id, $kind, $version, $content, $content_hash, $deleted, $author, $path, $now, $now)
                ON CONFLICT (project, id, kind) DO UPDATE SET
                    version = excluded.version, content = excluded.content, content_hash = excluded.content_hash,
                    deleted = excluded.deleted, author = excluded.author, path = coalesce(excluded.path, artifacts.path),
                    updated_at = excluded.updated_at
                """);
            AddArtifactKey(_upsertHead, project);
            AddContent(_upsertHead, now);

            _appendChange = Command(connection, """
                INSERT INTO change_log (project, seq, change_id, id, kind, version, content, content_hash, deleted, author, description, path, created_at)
                VALUES ($project, $seq, $change_id, $id, $kind, $version, $content, $content_hash, $deleted, $author, $description, $path, $now)
                """);
            AddArtifactKey(_appendChange, project);
            AddContent(_appendChange, now);
            _appendChange.Parameters.Add("$seq", SqliteType.Integer);
            _appendChange.Parameters.Add("$change_id", SqliteType.Blob);
            _appendChange.Parameters.Add("$description", SqliteType.Text);

            _saveSequence = Command(connection, "UPDATE projects SET last_seq = $seq WHERE name = $project");
            _saveSequence.Parameters.AddWithValue("$project", project);
            _saveSequence.Parameters.Add("$seq", SqliteType.Integer);
            Project = project;
        }

        private string Project { get; }

        public PushResult Apply(RemoteChange change, ref long lastSequence)
        {
            if (FindRecorded(change.ChangeId) is { } recorded)
                return recorded;

            var kind = change.Kind.Name();
            _findHead.Parameters["$id"].Value = change.Id;
            _findHead.Parameters["$kind"].Value = kind;
            long current = 0;
            using (var head = _findHead.ExecuteReader())
            {
                if (head.Read())
                {
                    current = head.GetInt64(0);
                    if (current != change.BaseVersion)
                        return new PushResult(change.ChangeId, change.Id, change.Kind, PushStatus.Conflict, current, null,
                            head.GetString(1), head.GetString(2), head.GetInt64(3) != 0, head.GetString(4))
                        { Path = head.IsDBNull(5) ? null : head.GetString(5) };
                }
            }
            if (current != change.BaseVersion)
                return new PushResult(change.ChangeId, change.Id, change.Kind, PushStatus.Conflict, 0, null, null, null, false, null);

            var version = current + 1;
            var sequence = ++lastSequence;
            Bind(_upsertHead, change, kind, version);
            _upsertHead.ExecuteNonQuery();
            Bind(_appendChange, change, kind, version);
            _appendChange.Parameters["$seq"].Value = sequence;
            _appendChange.Parameters["$change_id"].Value = change.ChangeId.ToByteArray();
            _appendChange.Parameters["$description"].Value = (object?)change.Description ?? DBNull.Value;
            _appendChange.ExecuteNonQuery();
            return new PushResult(change.ChangeId, change.Id, change.Kind, PushStatus.Accepted, version, sequence,
                change.Content, change.ContentHash, change.Deleted, change.Author)
            { Path = change.Path };
        }

        public void SaveLastSequence(long lastSequence)
        {
            _saveSequence.Parameters["$seq"].Value = lastSequence;
            _saveSequence.ExecuteNonQuery();
        }

        /// <summary>
        /// A change id already in the log was applied by an earlier try whose answer was lost: return that result.
        /// Change ids are unique across the file, so one recorded for another project is a client bug, not a retry.
        /// </summary>
        private PushResult? FindRecorded(Guid changeId)
        {
            _findChange.Parameters["$change_id"].Value = changeId.ToByteArray();
            using var row = _findChange.ExecuteReader();
            if (!row.Read())
                return null;
            if (!string.Equals(row.GetString(0), Project, StringComparison.Ordinal))
                throw new RemoteException(RemoteErrorKind.Invalid, $"change id {changeId} was already used in another project", RemoteErrors.Invalid);
            return new PushResult(changeId, row.GetString(1), ParseKind(row.GetString(2)), PushStatus.Accepted, row.GetInt64(3), row.GetInt64(4),
                row.GetString(5), row.GetString(6), row.GetInt64(7) != 0, row.GetString(8))
            { Path = row.IsDBNull(9) ? null : row.GetString(9) };
        }

        private static void AddArtifactKey(SqliteCommand command, string project)
        {
            command.Parameters.AddWithValue("$project", project);
            command.Parameters.Add("$id", SqliteType.Text);
            command.Parameters.Add("$kind", SqliteType.Text);
        }

        private static void AddContent(SqliteCommand command, string now)
        {
            command.Parameters.Add("$version", SqliteType.Integer);
            command.Parameters.Add("$path", SqliteType.Text);
            command.Parameters.Add("$content", SqliteType.Text);
            command.Parameters.Add("$content_hash", SqliteType.Text);
            command.Parameters.Add("$deleted", SqliteType.Integer);
            command.Parameters.Add("$author", SqliteType.Text);
            command.Parameters.AddWithValue("$now", now);
        }

        private static void Bind(SqliteCommand command, RemoteChange change, string kind, long version)
        {
            var parameters = command.Parameters;
            parameters["$id"].Value = change.Id;
            parameters["$kind"].Value = kind;
            parameters["$version"].Value = version;
            parameters["$content"].Value = change.Content;
            parameters["$content_hash"].Value = change.ContentHash;
            parameters["$deleted"].Value = change.Deleted ? 1L : 0L;
            parameters["$author"].Value = change.Author;
            parameters["$path"].Value = (object?)change.Path ?? DBNull.Value;
        }

        public void Dispose()
        {
            _findChange.Dispose();
            _findHead.Dispose();
            _upsertHead.Dispose();
            _appendChange.Dispose();
            _saveSequence.Dispose();
        }
    }
}
