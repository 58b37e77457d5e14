using System.Globalization;
using AgentSync.Artifacts;
using AgentSync.Errors;
using Microsoft.Data.Sqlite;

namespace AgentSync.Remote.SqliteFile;

/// <summary>
/// The <c>file:path</c> remote: the semantics of the Postgres functions in supabase/migrations, in C# over one SQLite
/// file, for demos and one-machine teams. Several processes may use the file at once: WAL lets readers run beside the
/// one writer, and every write is one <c>BEGIN IMMEDIATE</c> transaction, which takes the write lock up front so
/// that the project's sequence counter is read and advanced under it (sequence numbers follow commit order) and a
/// busy file means waiting, never a failed upgrade from a read lock. Whoever can write the file owns it, so it is
/// privileged: it creates projects and acts on any of them.
/// </summary>
/// <remarks>
/// One instance holds one connection; calls on the same instance are serialised by a gate because a SQLite
/// connection is not thread-safe. Use one instance per concurrent user of the file.
/// </remarks>
public sealed partial class SqliteFileRemote : IRemote
{
    /// <summary>How long a write waits for another process's write transaction before the work is queued.</summary>
    private static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private RemoteInfo? _info;

    public SqliteFileRemote(string path)
        : this(path, DefaultBusyTimeout)
    {
    }

    /// <summary>Tests shorten the wait to see a locked file reported without waiting half a minute.</summary>
    /// <param name="busyTimeout">How long a call waits for another process's write lock (timeout_seconds of sync.yaml).</param>
    public SqliteFileRemote(string path, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeout, TimeSpan.FromMilliseconds(1));
        _path = Path.GetFullPath(path);
        _busyTimeout = busyTimeout;
        Describe = "file:" + path;
    }

    public string Describe { get; }

    public Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken) =>
        ReadAsync(_ => _info!, cancellationToken);

    public async Task<bool> EnsureProjectAsync(string project, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        return await WriteAsync(connection =>
        {
            using var insert = Command(connection, "INSERT INTO projects (name, last_seq, created_at) VALUES ($project, 0, $now) ON CONFLICT (name) DO NOTHING");
            insert.Parameters.AddWithValue("$project", project);
            insert.Parameters.AddWithValue("$now", Timestamp(DateTimeOffset.UtcNow));
            return insert.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PullPage> PullAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        var pageSize = Math.Clamp(limit, 1, RemoteSchema.MaxPageSize);
        return await ReadAsync(connection =>
        {
            // One row past the page says whether more follow without a second query.
            using var select = Command(connection, $"{SelectChange} WHERE project = $project AND seq > $after ORDER BY seq LIMIT $limit");
            select.Parameters.AddWithValue("$project", project);
            select.Parameters.AddWithValue("$after", afterSequence);
            select.Parameters.AddWithValue("$limit", pageSize + 1);
            var changes = ReadChanges(select, pageSize, out var more);
            if (changes.Count == 0)
                RequireProject(connection, project);
            return new PullPage(changes, more);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> NextIdAsync(string project, string scope, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        RemoteValidation.ValidateScope(scope);
        return await WriteAsync(connection =>
        {
            RequireProject(connection, project);
            // Ids are global per scope across kinds, and tombstones count: a deleted INFRA-007 is never handed out again.
            // Only SCOPE-<digits> ids count (at most 18 digits, so the number fits a 64-bit integer).
            using var next = Command(connection, """
                INSERT INTO id_counters (project, scope, last_value)
                VALUES ($project, $scope, 1 + max(
                    coalesce((SELECT last_value FROM id_counters WHERE project = $project AND scope = $scope), 0),
                    coalesce((SELECT max(CAST(substr(id, length($scope) + 2) AS INTEGER)) FROM artifacts
                              WHERE project = $project AND id GLOB $scope || '-[0-9]*'
                                AND substr(id, length($scope) + 2) NOT GLOB '*[^0-9]*'
                                AND length(id) - length($scope) - 1 <= 18), 0)))
                ON CONFLICT (project, scope) DO UPDATE SET last_value = excluded.last_value
                RETURNING last_value
                """);
            next.Parameters.AddWithValue("$project", project);
            next.Parameters.AddWithValue("$scope", scope);
            return Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RemoteChangeRecord>> LogAsync(string project, string id, ArtifactKind kind, CancellationToken cancellationToken)
    {
        RemoteValidation.ValidateProject(project);
        RemoteValidation.ValidateArtifact(id, kind);
        return await ReadAsync<IReadOnlyList<RemoteChangeRecord>>(connection =>
        {
            RequireProject(connection, project);
            using var select = Command(connection, $"{SelectChange} WHERE project = $project AND id = $id AND kind = $kind ORDER BY version");
            select.Parameters.AddWithValue("$project", project);
            select.Parameters.AddWithValue("$id", id);
            select.Parameters.AddWithValue("$kind", kind.Name());
            return ReadChanges(select, int.MaxValue, out _);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private const string SelectChange =
        "SELECT seq, change_id, id, kind, version, content, content_hash, deleted, author, description, created_at, path FROM change_log";

    private static List<RemoteChangeRecord> ReadChanges(SqliteCommand select, int max, out bool more)
    {
        var changes = new List<RemoteChangeRecord>();
        more = false;
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            if (changes.Count == max)
            {
                more = true;
                break;
            }
            changes.Add(new RemoteChangeRecord(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                ParseKind(reader.GetString(3)),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt64(7) != 0,
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                ParseTimestamp(reader.GetString(10)))
            {
                Path = reader.IsDBNull(11) ? null : reader.GetString(11),
            });
        }
        return changes;
    }

    /// <summary>The same refusal for a missing project as the server's, which does not tell "absent" from "not a member".</summary>
    private void RequireProject(SqliteConnection connection, string project)
    {
        if (ReadLastSequence(connection, project) is null)
            throw ProjectNotFound(project);
    }

    private static long? ReadLastSequence(SqliteConnection connection, string project)
    {
        using var select = Command(connection, "SELECT last_seq FROM projects WHERE name = $project");
        select.Parameters.AddWithValue("$project", project);
        return select.ExecuteScalar() is long last ? last : null;
    }

    private RemoteException ProjectNotFound(string project) =>
        new(RemoteErrorKind.NotFound, $"project '{project}' does not exist on {Describe} or you are not a member of it; create it with agent sync init", RemoteErrors.NotFound);

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static ArtifactKind ParseKind(string name) => name switch
    {
        "story" => ArtifactKind.Story,
        "plan" => ArtifactKind.Plan,
        "runbook" => ArtifactKind.Runbook,
        "adr" => ArtifactKind.Adr,
        "journey" => ArtifactKind.Journey,
        _ => throw new InvalidDataException($"unknown kind '{name}' in the remote file"),
    };

    /// <summary>Round-trip ISO 8601 in UTC: fixed width, so text order is time order in SQL.</summary>
    private static string Timestamp(DateTimeOffset time) => SqliteAuditEntry.FormatTime(time);

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
