using System.Globalization;
using AgentSync.Artifacts;
using Microsoft.Data.Sqlite;

namespace AgentSync.Store;

public sealed partial class LocalStore
{
    private const string ArtifactColumns =
        "id, kind, scope, title, state, path, content_hash, base_version, base_hash, author, created_at, updated_at, " +
        "file_size, file_mtime, conflicted, deleted, remote_state, remote_version, remote_hash, remote_author";

    /// <summary>One artifact's record, or null. Positional (see <see cref="Rows"/>): a pull asks once per change it
    /// brings, and through SqliteCommand that was a fifth of applying a page of new artifacts.</summary>
    public Task<StoredArtifact?> GetAsync(string id, ArtifactKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReadLocked(Rows($"SELECT {ArtifactColumns} FROM artifacts WHERE id = ?1 AND kind = ?2").Text(1, id).Text(2, kind.Name()), ReadArtifact));
    }

    /// <summary>The records of many artifacts in one query (a push batch's), keyed by id and kind; absent ones are left out.</summary>
    public async Task<Dictionary<(string Id, ArtifactKind Kind), StoredArtifact>> GetManyAsync(IEnumerable<(string Id, ArtifactKind Kind)> keys, CancellationToken cancellationToken)
    {
        var json = StoreJson.Rows(keys, static (writer, key) =>
        {
            writer.WriteStringValue(key.Id);
            writer.WriteStringValue(key.Kind.Name());
        });
        var command = Command($"SELECT {ArtifactColumns} FROM artifacts WHERE (id, kind) IN (SELECT value ->> 0, value ->> 1 FROM json_each($keys))");
        command.Parameters.AddWithValue("$keys", json);
        return (await ReadArtifactsAsync(command, cancellationToken)).ToDictionary(a => (a.Id, a.Kind));
    }

    public Task<StoredArtifact?> GetByPathAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReadLocked(Rows($"SELECT {ArtifactColumns} FROM artifacts WHERE path = ?1").Text(1, path), ReadArtifact));
    }

    /// <summary>Artifacts ordered by kind and id, optionally of one kind and one state (case-insensitive).</summary>
    public async Task<IReadOnlyList<StoredArtifact>> ListAsync(ArtifactKind? kind, string? state, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {ArtifactColumns} FROM artifacts WHERE ($kind IS NULL OR kind = $kind) AND ($state IS NULL OR state = $state) ORDER BY kind, id";
        var command = Command(sql);
        command.Parameters.AddWithValue("$kind", (object?)kind?.Name() ?? DBNull.Value);
        command.Parameters.AddWithValue("$state", (object?)state?.ToUpperInvariant() ?? DBNull.Value);
        return await ReadArtifactsAsync(command, cancellationToken);
    }

    /// <summary>
    /// What a scan of the working tree compares each file with, for every artifact: seven small columns instead of the
    /// twenty of a whole record (reading 1,000 whole records, two timestamps each, was the largest step of a pull with
    /// nothing new). Whole records are then read only for the files that changed.
    /// </summary>
    public async Task<IReadOnlyList<ArtifactIndexEntry>> IndexAsync(CancellationToken cancellationToken)
    {
        var command = Command("SELECT id, kind, path, file_size, file_mtime, deleted, conflicted FROM artifacts");
        var list = new List<ArtifactIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ArtifactIndexEntry(
                reader.GetString(0),
                ArtifactKinds.Parse(reader.GetString(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.GetInt64(5) != 0,
                reader.GetInt64(6) != 0));
        }

        return list;
    }

    /// <summary>
    /// Artifacts that may hold something the remote lacks: edited since their base, never pushed, deleted or conflicted.
    /// A superset of what push sends (a state-only edit is not sent). SQLite filters the rows itself, so unchanged ones
    /// are never turned into objects: a push or pull on 10,000 artifacts otherwise read the whole table twice more
    /// after the scan.
    /// </summary>
    public async Task<IReadOnlyList<StoredArtifact>> ChangedAsync(CancellationToken cancellationToken)
    {
        var command = Command($"SELECT {ArtifactColumns} FROM artifacts WHERE deleted = 1 OR conflicted = 1 OR base_hash IS NULL OR base_hash <> content_hash ORDER BY kind, id");
        return await ReadArtifactsAsync(command, cancellationToken);
    }

    /// <summary>Ids of one scope across kinds, for the next local id (ids are global per scope).</summary>
    public async Task<long> MaxNumberAsync(string scope, CancellationToken cancellationToken)
    {
        var command = Command("SELECT id FROM artifacts WHERE scope = $scope OR id LIKE $prefix");
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$prefix", scope + "-%");
        long max = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (string.Equals(ArtifactParser.ScopeOf(id) ?? scope, scope, StringComparison.Ordinal) && ArtifactParser.NumberOf(id) is { } n)
                max = Math.Max(max, n);
        }

        return max;
    }

    public Task PutAsync(StoredArtifact artifact, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        const string sql = $"""
            INSERT INTO artifacts ({ArtifactColumns})
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
            ON CONFLICT (id, kind) DO UPDATE SET
                scope = excluded.scope, title = excluded.title, state = excluded.state, path = excluded.path,
                content_hash = excluded.content_hash, base_version = excluded.base_version, base_hash = excluded.base_hash,
                author = excluded.author, updated_at = excluded.updated_at, file_size = excluded.file_size,
                file_mtime = excluded.file_mtime, conflicted = excluded.conflicted, deleted = excluded.deleted,
                remote_state = excluded.remote_state, remote_version = excluded.remote_version,
                remote_hash = excluded.remote_hash, remote_author = excluded.remote_author
            """;
        RunLocked(Rows(sql)
            .Text(1, artifact.Id)
            .Text(2, artifact.Kind.Name())
            .Text(3, artifact.Scope)
            .Text(4, artifact.Title)
            .Text(5, artifact.State)
            .Text(6, artifact.Path)
            .Text(7, artifact.ContentHash)
            .Integer(8, artifact.BaseVersion)
            .Text(9, artifact.BaseHash)
            .Text(10, artifact.Author)
            .Text(11, Timestamp(artifact.CreatedAt))
            .Text(12, Timestamp(artifact.UpdatedAt))
            .Integer(13, artifact.FileSize)
            .Integer(14, artifact.FileMtime)
            .Integer(15, artifact.Conflicted ? 1 : 0)
            .Integer(16, artifact.Deleted ? 1 : 0)
            .Text(17, artifact.RemoteState)
            .Integer(18, artifact.RemoteVersion)
            .Text(19, artifact.RemoteHash)
            .Text(20, artifact.RemoteAuthor));
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string id, ArtifactKind kind, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM artifacts WHERE id = $id AND kind = $kind");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", kind.Name());
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>Remembers size and mtime of a file whose content matches the record, so status can skip hashing it.</summary>
    public async Task SetFileStatAsync(string id, ArtifactKind kind, long size, long mtime, CancellationToken cancellationToken)
    {
        var command = Command("UPDATE artifacts SET file_size = $size, file_mtime = $mtime WHERE id = $id AND kind = $kind");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", kind.Name());
        command.Parameters.AddWithValue("$size", size);
        command.Parameters.AddWithValue("$mtime", mtime);
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>The stat a file written on another thread really has, where its row recorded <paramref name="Given"/>
    /// as its mtime; for <see cref="CorrectFileStatsAsync"/>.</summary>
    public readonly record struct FileStatCorrection(string Id, ArtifactKind Kind, string Path, long Given, long Size, long Mtime);

    /// <summary>
    /// Corrects the size and mtime of rows whose files (Sync/PageFiles.cs) did not take the mtime the row was written
    /// with: only where the row still describes that file with that mtime, so a later write or conflict of the same
    /// artifact in the page keeps its own. Positional, one row at a time: a statement over a JSON array of the files
    /// (json_each and an extraction per column) cost more than a prepared statement per file.
    /// </summary>
    public Task CorrectFileStatsAsync(IReadOnlyCollection<FileStatCorrection> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
            return Task.CompletedTask;
        var statement = Rows("""
            UPDATE artifacts SET file_size = ?4, file_mtime = ?5
            WHERE id = ?1 AND kind = ?2 AND path = ?3 AND file_mtime = ?6 AND conflicted = 0 AND deleted = 0
            """);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunLocked(statement.Text(1, file.Id).Text(2, file.Kind.Name()).Text(3, file.Path).Integer(4, file.Size).Integer(5, file.Mtime).Integer(6, file.Given));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stores content under its hash (content-addressed, like a git object) and returns the hash.</summary>
    /// <param name="knownHash">The content's hash when the caller has just computed it (it is not checked).</param>
    public Task<string> PutBlobAsync(string content, CancellationToken cancellationToken, string? knownHash = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = knownHash ?? ContentHash.Of(content);
        RunLocked(Rows("INSERT OR IGNORE INTO blobs (hash, content) VALUES (?1, ?2)").Text(1, hash).Text(2, content));
        return Task.FromResult(hash);
    }

    /// <summary>The same for content held as its UTF-8 bytes (a file's), stored as the same text.</summary>
    public Task<string> PutBlobAsync(ReadOnlySpan<byte> utf8, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = ContentHash.Of(utf8);
        RunLocked(Rows("INSERT OR IGNORE INTO blobs (hash, content) VALUES (?1, ?2)").Text(1, hash).Utf8(2, utf8));
        return Task.FromResult(hash);
    }

    /// <summary>Many blobs in one query, keyed by hash; absent ones are left out.</summary>
    public async Task<Dictionary<string, string>> GetBlobsAsync(IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        var command = Command("SELECT hash, content FROM blobs WHERE hash IN (SELECT value FROM json_each($hashes))");
        command.Parameters.AddWithValue("$hashes", StoreJson.Strings(hashes.Distinct(StringComparer.Ordinal)));
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            blobs[reader.GetString(0)] = reader.GetString(1);
        return blobs;
    }

    public async Task<string?> GetBlobAsync(string? hash, CancellationToken cancellationToken)
    {
        if (hash is null)
            return null;
        var command = Command("SELECT content FROM blobs WHERE hash = $hash");
        command.Parameters.AddWithValue("$hash", hash);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task AddHistoryAsync(string id, ArtifactKind kind, string operation, string? contentHash, string? author, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunLocked(Rows("INSERT INTO history (id, kind, operation, content_hash, author, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .Text(1, id)
            .Text(2, kind.Name())
            .Text(3, operation)
            .Text(4, contentHash)
            .Text(5, author)
            .Text(6, Timestamp(DateTimeOffset.UtcNow)));
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string id, ArtifactKind kind, CancellationToken cancellationToken)
    {
        var command = Command("SELECT seq, operation, content_hash, author, at FROM history WHERE id = $id AND kind = $kind ORDER BY seq");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", kind.Name());
        var entries = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), ParseTimestamp(reader.GetString(4))));
        }

        return entries;
    }

    private static async Task<IReadOnlyList<StoredArtifact>> ReadArtifactsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<StoredArtifact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(ReadArtifact(new ReaderRow(reader)));
        return list;
    }

    private static StoredArtifact ReadArtifact(RowStatement row) => ReadArtifact<RowStatement>(row);

    /// <summary>One record from the columns of <see cref="ArtifactColumns"/>, whichever way the row was read.</summary>
    private static StoredArtifact ReadArtifact<TRow>(TRow row)
        where TRow : IRow => new(
            row.String(0),
            ArtifactKinds.Parse(row.String(1)),
            row.String(2),
            row.String(3),
            row.IsNull(4) ? null : row.String(4),
            row.String(5),
            row.String(6),
            row.Int64(7),
            row.IsNull(8) ? null : row.String(8),
            row.IsNull(9) ? null : row.String(9),
            ParseTimestamp(row.String(10)),
            ParseTimestamp(row.String(11)),
            row.IsNull(12) ? null : row.Int64(12),
            row.IsNull(13) ? null : row.Int64(13),
            row.Int64(14) != 0,
            row.Int64(15) != 0,
            row.IsNull(16) ? null : row.String(16))
        {
            RemoteVersion = row.IsNull(17) ? null : row.Int64(17),
            RemoteHash = row.IsNull(18) ? null : row.String(18),
            RemoteAuthor = row.IsNull(19) ? null : row.String(19),
        };

    /// <summary>UTC in the round-trip form (2026-11-25T21:49:40.1234567Z), which sorts as text.</summary>
    internal static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads what <see cref="Timestamp"/> wrote through the round-trip format's fast path (a general parse of the two
    /// timestamps of every row was most of listing 1,000 artifacts), and anything older through the general parser.
    /// </summary>
    internal static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

public sealed record HistoryEntry(long Sequence, string Operation, string? ContentHash, string? Author, DateTimeOffset At);
