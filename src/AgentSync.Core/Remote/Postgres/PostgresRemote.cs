using System.Data;
using System.Data.Common;
using AgentSync.Artifacts;
using Npgsql;
using NpgsqlTypes;

namespace AgentSync.Remote.Postgres;

/// <summary>
/// The remote as a direct PostgreSQL connection (self-hosted, admins, tests). It calls the very functions PostgREST
/// exposes (supabase/migrations), with batches as typed array parameters, so both transports share one server
/// implementation. Thread-safe: every call takes its own pooled connection.
/// </summary>
public sealed partial class PostgresRemote : IRemote
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<string?> _author;

    /// <param name="url"><c>postgresql://user@host:port/db</c> (or <c>postgres://</c>); no password in it.</param>
    /// <param name="author">Used for changes and audit entries that carry no author of their own.</param>
    /// <param name="callTimeout">How long one call may run; 30 s when not given.</param>
    public PostgresRemote(string url, string? author = null, TimeSpan? callTimeout = null)
        : this(url, () => author, callTimeout)
    {
    }

    /// <param name="author">Asked the first time a change or an audit entry needs it: finding it may run git, and
    /// connecting need not wait for that.</param>
    public PostgresRemote(string url, Func<string?> author, TimeSpan? callTimeout = null)
    {
        var parsed = PostgresUrl.Parse(url);
        Describe = parsed.Describe;
        User = parsed.User;
        _author = new Lazy<string?>(author);
        var builder = new NpgsqlDataSourceBuilder(parsed.ConnectionString((int)Math.Ceiling((callTimeout ?? TimeSpan.FromSeconds(PostgresUrl.CommandTimeoutSeconds)).TotalSeconds)));
        // Every type the agent sends or reads is built in (text, uuid, bigint, boolean, jsonb, timestamptz and their
        // arrays), so the server's type catalog is not loaded: one query less on the connection each command opens.
        builder.ConfigureTypeLoading(static loading => loading.EnableTypeLoading(false));
        _dataSource = builder.Build();
    }

    public string Describe { get; }

    private string User { get; }

    public async Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        int version;
        bool privileged;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "select public.agent_sync_schema_version(), coalesce((select r.rolsuper or r.rolbypassrls from pg_catalog.pg_roles r where r.rolname = current_user), false)",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            version = reader.GetInt32(0);
            privileged = reader.GetBoolean(1);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InvalidSchemaName)
        {
            // No agent-sync functions at all: the same message as an old schema, naming the migration.
            version = 0;
            privileged = false;
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Describe, cancellationToken) is var translated && translated != e)
        {
            throw translated;
        }

        RemoteSchema.Check(version, Describe);
        return new RemoteInfo(Describe, version, User, privileged);
    }

    /// <summary>
    /// Opens the connection the command's calls then take from the pool, without a query: every agent-sync function
    /// checks the client's schema version first (PT426, or no such function on a database without the migration), so
    /// the version check of <see cref="ConnectAsync"/> would only repeat it a round trip earlier, on the path every push
    /// and pull waits for (push of 1,000 new artifacts 124.1 -> 121.5 ms, 16 runs; a pull of 1,000 within the noise,
    /// 63.1 / 64.0 and 73.8 / 71.7 ms in two A/Bs of 30). Whether the caller is privileged, which the audit record
    /// states, is asked by the audit append itself (<see cref="AuditAppendSql"/>); until then it is taken to be, as a
    /// direct connection that can push or pull at all almost always is (without a JWT, only a privileged role may act on
    /// a project).
    /// </summary>
    public async Task<RemoteInfo> ConnectForWorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Describe, cancellationToken) is var translated && translated != e)
        {
            throw translated;
        }

        return new RemoteInfo(Describe, RemoteSchema.Version, User, ServiceRole: true);
    }

    public Task<bool> EnsureProjectAsync(string project, CancellationToken cancellationToken) =>
        ScalarAsync<bool>(
            "select public.agent_sync_create_project(p_project => $1, p_client_schema => $2)",
            [Text(project), Schema()],
            cancellationToken);

    public async Task<IReadOnlyList<PushResult>> PushAsync(string project, IReadOnlyList<RemoteChange> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var kinds = new string[batch.Count];
        for (var i = 0; i < batch.Count; i++)
            kinds[i] = KindName(batch[i].Kind, i);

        var parameters = new NpgsqlParameter[]
        {
            Text(project),
            Schema(),
            new() { Value = batch.Select(c => c.ChangeId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
            TextArray(batch.Select(c => c.Id)),
            TextArray(kinds),
            new() { Value = batch.Select(c => c.BaseVersion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
            TextArray(batch.Select(c => c.Content)),
            TextArray(batch.Select(c => c.ContentHash)),
            new() { Value = batch.Select(c => c.Deleted).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
            TextArray(batch.Select(c => string.IsNullOrEmpty(c.Author) ? _author.Value ?? "" : c.Author)),
            TextArray(batch.Select(c => c.Description)),
            TextArray(batch.Select(c => c.Path)),
            // The server would find the same value in each text; finding it here spares the side the push waits for.
            TextArray(batch.Select(c => RemoteState.Of(c.Content))),
        };

        return await QueryAsync(
            """
            select change_id, id, kind, status, version, seq, content, content_hash, deleted, author
            from public.agent_sync_push(p_project => $1, p_client_schema => $2, p_change_ids => $3, p_ids => $4,
              p_kinds => $5, p_base_versions => $6, p_contents => $7, p_content_hashes => $8, p_deleted => $9,
              p_authors => $10, p_descriptions => $11, p_paths => $12, p_states => $13)
            """,
            parameters,
            r => new PushResult(
                r.GetGuid(0),
                r.GetString(1),
                ArtifactKinds.Parse(r.GetString(2)),
                r.GetString(3) == "accepted" ? PushStatus.Accepted : PushStatus.Conflict,
                r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                !r.IsDBNull(8) && r.GetBoolean(8),
                r.IsDBNull(9) ? null : r.GetString(9)),
            cancellationToken);
    }

    public async Task<PullPage> PullAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var changes = new List<RemoteChangeRecord>();
        var more = await PullEachAsync(project, afterSequence, limit, change =>
        {
            changes.Add(change);
            return Task.CompletedTask;
        }, cancellationToken);
        return new PullPage(changes, more);
    }

    /// <summary>Each row is applied as soon as it is read off the socket, while the rest of the page is still arriving
    /// and the next rows are being read (see <see cref="ReadAheadAsync"/>).</summary>
    public async Task<bool> PullEachAsync(string project, long afterSequence, int limit, Func<RemoteChangeRecord, Task> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var more = false;
        await ReadAheadAsync(
            """
            select seq, change_id, id, kind, version, content, content_hash, deleted, author, description, created_at, path, more
            from public.agent_sync_pull(p_project => $1, p_client_schema => $2, p_after => $3, p_limit => $4)
            """,
            [Text(project), Schema(), new() { Value = afterSequence, NpgsqlDbType = NpgsqlDbType.Bigint },
             new() { Value = Math.Clamp(limit, 1, RemoteSchema.MaxPageSize), NpgsqlDbType = NpgsqlDbType.Integer }],
            CommandBehavior.SequentialAccess,
            r =>
            {
                var change = ChangeRecord(r, utf8: true);
                more = r.GetBoolean(12);
                return change;
            },
            apply,
            cancellationToken);
        return more;
    }

    public async Task<long> NextIdAsync(string project, string scope, CancellationToken cancellationToken) =>
        await ScalarAsync<long>(
            "select public.agent_sync_next_id(p_project => $1, p_client_schema => $2, p_scope => $3)",
            [Text(project), Schema(), Text(scope)],
            cancellationToken);

    public async Task<IReadOnlyList<RemoteChangeRecord>> LogAsync(string project, string id, ArtifactKind kind, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            select seq, change_id, id, kind, version, content, content_hash, deleted, author, description, created_at, path
            from public.agent_sync_log(p_project => $1, p_client_schema => $2, p_id => $3, p_kind => $4)
            """,
            [Text(project), Schema(), Text(id), Text(KindName(kind, 0))],
            ChangeRecord,
            cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static RemoteChangeRecord ChangeRecord(DbDataReader r) => ChangeRecord(r, utf8: false);

    /// <param name="utf8">Read the content as its UTF-8 bytes (Npgsql hands text over as sent), decoded only if used: the
    /// bytes a pull writes come from one read, not a decode and an encode.</param>
    private static RemoteChangeRecord ChangeRecord(DbDataReader r, bool utf8)
    {
        var (sequence, changeId, id, kind, version) = (r.GetInt64(0), r.GetGuid(1), r.GetString(2), ArtifactKinds.Parse(r.GetString(3)), r.GetInt64(4));
        // Columns in order: the pull reads them sequentially.
        var (bytes, content) = utf8 ? (r.GetFieldValue<byte[]>(5), null) : ((byte[]?)null, r.GetString(5));
        var (hash, deleted, author, description, createdAt) = (r.GetString(6), r.GetBoolean(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetFieldValue<DateTimeOffset>(10));
        var path = r.IsDBNull(11) ? null : r.GetString(11);
        return bytes is not null
            ? RemoteChangeRecord.FromUtf8(sequence, changeId, id, kind, version, bytes, hash, deleted, author, description, createdAt, path)
            : new RemoteChangeRecord(sequence, changeId, id, kind, version, content!, hash, deleted, author, description, createdAt) { Path = path };
    }

    /// <summary>Kinds outside the enum are refused here with the same error the server gives, item index included.</summary>
    private static string KindName(ArtifactKind kind, int index) => Enum.IsDefined(kind)
        ? kind.Name()
        : throw new RemoteException(RemoteErrorKind.Invalid, $"item {index}: kind {(int)kind} is not one of story, plan, runbook, adr, journey", RemoteErrors.Invalid);

    private static NpgsqlParameter Schema() => new() { Value = RemoteSchema.Version, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
