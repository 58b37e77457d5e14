using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class InputDatabase : PostgresDatabase
{
    protected override string Prefix => "input";
}

/// <summary>Bad input, bad URLs and unreachable servers: each must end as the right typed error, never a driver exception.</summary>
public sealed class PostgresRemoteInputTests(InputDatabase database) : IClassFixture<InputDatabase>
{
    private static RemoteChange Change(string id, string content, long baseVersion = 0, ArtifactKind kind = ArtifactKind.Story, bool deleted = false) =>
        new(Guid.NewGuid(), id, kind, baseVersion, content, ContentHash.Of(content), deleted, "input@example.com", null);

    private async Task<(PostgresRemote Remote, string Project)> OpenAsync()
    {
        var remote = new PostgresRemote(database.Url());
        var project = "in-" + Guid.NewGuid().ToString("N")[..10];
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        return (remote, project);
    }

    public static TheoryData<string, RemoteChange[]> BadBatches => new()
    {
        { "item 1: kind 42", [Change("OK-1", "fine\n"), Change("OK-2", "x\n", kind: (ArtifactKind)42)] },
        { "item 1: content is 1048577 bytes", [Change("OK-1", "fine\n"), Change("BIG-1", new string('é', 524_288) + "x")] },
        { "item 0: a deletion must have empty content", [Change("DEL-1", "not empty\n", baseVersion: 1, deleted: true)] },
        { "item 0: base version -1", [Change("NEG-1", "x\n", baseVersion: -1)] },
        { "item 2: id 'a b'", [Change("OK-1", "1\n"), Change("OK-2", "2\n"), Change("a b", "3\n")] },
        { "item 0: id '..'", [Change("..", "x\n")] },
        { "a batch holds 1..1000 items, this one has 0", [] },
        { "a batch holds 1..1000 items, this one has 1001", Enumerable.Range(0, 1001).Select(i => Change($"MANY-{i}", "x\n")).ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_is_refused_as_invalid_naming_the_item_and_nothing_is_applied(string expected, RemoteChange[] batch)
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync(project, batch, CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty((await remote.PullAsync(project, 0, 1000, CancellationToken.None)).Changes);
    }

    [Theory]
    [InlineData("array['poem']", "array[0::bigint]", "item 0: kind 'poem' is not one of story, plan, runbook, adr, journey")]
    [InlineData("array['story', 'plan']", "array[0::bigint]", "every p_* array must hold the same number of items")]
    [InlineData("array['story']", "array[null::bigint]", "item 0: base version null must be 0 or more")]
    public async Task The_server_validates_what_a_client_other_than_ours_might_send(string kinds, string baseVersions, string expected)
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;
        var sql = $"""
            select * from public.agent_sync_push('{project}', 1, array[gen_random_uuid()], array['X-1'], {kinds}, {baseVersions},
              array['x'], array[encode(sha256('x'), 'hex')], array[false], array['a@example.com'], null)
            """;

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Equal("PT400", error.SqlState);
        Assert.StartsWith(expected, error.MessageText, StringComparison.Ordinal);
    }

    // The server checks an id's length apart from its characters (a counted repetition in the regex runs ~10x slower):
    // the boundaries of both, as another client might send them.
    [Theory]
    [InlineData(100, "a", true)]
    [InlineData(101, "a", false)]
    [InlineData(1, "-", false)]
    [InlineData(1, "a.b_c-D9", true)]
    [InlineData(1, "a..b", false)]
    [InlineData(1, "a b", false)]
    [InlineData(1, "é", false)]
    public async Task The_server_checks_an_id_itself(int repeat, string part, bool valid)
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;
        var id = string.Concat(Enumerable.Repeat(part, repeat));
        var sql = $"""
            select * from public.agent_sync_push('{project}', 1, array[gen_random_uuid()], array['{id}'], array['story'],
              array[0::bigint], array['x'], array[encode(sha256('x'), 'hex')], array[false], array['a@example.com'], null)
            """;

        if (valid)
        {
            await ExecuteAsync(sql);
            Assert.Equal(id, Assert.Single((await remote.PullAsync(project, 0, 10, CancellationToken.None)).Changes).Id);
            return;
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));
        Assert.Equal("PT400", error.SqlState);
        Assert.StartsWith("item 0: id ", error.MessageText, StringComparison.Ordinal);
        Assert.EndsWith("is not a valid artifact id", error.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("select * from public.agent_sync_push('p', 1, array['not-a-uuid']::uuid[], null, null, null, null, null, null, null, null)", "22P02")]
    [InlineData("select * from public.agent_sync_pull('p', 1, 'many'::bigint, 10)", "22P02")]
    [InlineData("select public.agent_sync_audit_append('p', 1, 'push', 'ok', '{not json'::jsonb)", "22P02")]
    public async Task Wrong_types_are_translated_to_invalid_input(string sql, string sqlState)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        var translated = Assert.IsType<RemoteException>(PostgresErrors.Translate(error, "remote", CancellationToken.None));

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(RemoteErrorKind.Invalid, translated.Kind);
    }

    [Theory]
    [InlineData("postgresql://alice:secret@db.example.com:5432/agent")]
    [InlineData("postgres://alice:@db.example.com/agent")]
    [InlineData("postgresql://alice@db.example.com/agent?password=secret")]
    public void A_url_with_a_password_is_refused_pointing_to_pgpassword(string url)
    {
        var error = Assert.Throws<SyncException>(() => new PostgresRemote(url));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("PGPASSWORD", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://alice@db.example.com/agent", "postgresql://alice@db.example.com:5432/agent")]
    [InlineData("postgres://bob@127.0.0.1:6543/sync", "postgresql://bob@127.0.0.1:6543/sync")]
    [InlineData("postgresql://a%40b@host/db?sslmode=require", "postgresql://a@b@host:5432/db")]
    public async Task Describe_is_the_url_without_credentials(string url, string describe)
    {
        await using var remote = new PostgresRemote(url);

        Assert.Equal(describe, remote.Describe);
    }

    [Theory]
    [InlineData("https://db.example.com/agent")]
    [InlineData("postgresql://db.example.com/agent")]
    [InlineData("postgresql://alice@db.example.com/")]
    [InlineData("postgresql://alice@db.example.com/agent?sslmode=sometimes")]
    [InlineData("postgresql://alice@db.example.com/agent?host=/tmp")]
    [InlineData("postgresql://alice@db.example.com/agent?gssencmode=sometimes")]
    public void A_malformed_url_is_a_usage_error(string url)
    {
        var error = Assert.Throws<SyncException>(() => new PostgresRemote(url));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("postgresql://alice@db.example.com/agent", GssEncryptionMode.Disable)]
    [InlineData("postgresql://alice@db.example.com/agent?gssencmode=prefer", GssEncryptionMode.Prefer)]
    [InlineData("postgresql://alice@db.example.com/agent?sslmode=require&gssencmode=Require", GssEncryptionMode.Require)]
    public void Gss_encryption_is_off_unless_the_url_asks_for_it(string url, GssEncryptionMode expected)
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresUrl.Parse(url).ConnectionString());

        Assert.Equal(expected, settings.GssEncryptionMode);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal((65536, 65536), (settings.ReadBufferSize, settings.WriteBufferSize));
    }

    [Fact]
    public async Task The_password_comes_from_pgpassword_and_never_shows_in_errors()
    {
        // The test server trusts everyone, so prove the password is sent by pointing at a port nobody listens on and
        // checking it leaks nowhere, and that the connection string carries it.
        var port = PostgresServer.FreeLoopbackPort();
        var previous = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", "hunter2-from-env");
        try
        {
            Assert.Equal("hunter2-from-env", new NpgsqlConnectionStringBuilder(PostgresUrl.Parse($"postgresql://alice@127.0.0.1:{port}/db").ConnectionString()).Password);
            await using var remote = new PostgresRemote($"postgresql://alice@127.0.0.1:{port}/db");
            var error = await Assert.ThrowsAsync<RemoteUnavailableException>(() => remote.ConnectAsync(CancellationToken.None));
            Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", remote.Describe, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", previous);
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable_not_a_crash()
    {
        await using var remote = new PostgresRemote($"postgresql://postgres@127.0.0.1:{PostgresServer.FreeLoopbackPort()}/nothing");

        await Assert.ThrowsAsync<RemoteUnavailableException>(() => remote.ConnectAsync(CancellationToken.None));
        await Assert.ThrowsAsync<RemoteUnavailableException>(() => remote.PullAsync("p", 0, 10, CancellationToken.None));
    }

    /// <summary>A new database on the same server without the migration; returns its URL.</summary>
    private async Task<string> BareDatabaseAsync()
    {
        var bare = "bare_" + Guid.NewGuid().ToString("N")[..10];
        await using var admin = new NpgsqlConnection(database.Server.ConnectionString("postgres", PostgresServer.Superuser));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"create database {bare}", admin);
        await create.ExecuteNonQueryAsync();
        return database.Server.Url(bare);
    }

    [Fact]
    public async Task A_database_without_the_migration_names_the_migration_to_apply()
    {
        await using var remote = new PostgresRemote(await BareDatabaseAsync());
        var connect = await Assert.ThrowsAsync<SyncException>(() => remote.ConnectAsync(CancellationToken.None));
        var push = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync("p", [Change("X-1", "x\n")], CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, connect.ExitCode);
        Assert.Contains(RemoteSchema.Migration, connect.Message, StringComparison.Ordinal);
        Assert.Equal(RemoteErrorKind.SchemaMismatch, push.Kind);
        Assert.Contains(RemoteSchema.Migration, push.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_for_work_leaves_the_schema_check_to_the_first_call_which_names_the_migration()
    {
        await using var remote = new PostgresRemote(await BareDatabaseAsync());
        var info = await ((IRemote)remote).ConnectForWorkAsync(CancellationToken.None);
        var pull = await Assert.ThrowsAsync<RemoteException>(() => remote.PullEachAsync("p", 0, 10, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal(RemoteSchema.Version, info.SchemaVersion);
        Assert.Equal(RemoteErrorKind.SchemaMismatch, pull.Kind);
        Assert.Contains(RemoteSchema.Migration, pull.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_mismatch_on_a_call_is_pt426_naming_the_migration()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("select * from public.agent_sync_pull('p', 0, 0, 10)"));

        Assert.Equal("PT426", error.SqlState);
        Assert.Contains("20261125000000_agent_sync.sql", error.MessageText, StringComparison.Ordinal);
        var translated = Assert.IsType<RemoteException>(PostgresErrors.Translate(error, "postgresql://u@h/db", CancellationToken.None));
        Assert.Equal(RemoteErrorKind.SchemaMismatch, translated.Kind);
        Assert.StartsWith("postgresql://u@h/db: the client speaks schema ", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_identifies_itself_as_agent_sync()
    {
        await using var remote = new PostgresRemote(database.Url());
        await remote.ConnectAsync(CancellationToken.None);
        var project = "app-" + Guid.NewGuid().ToString("N")[..8];

        // The remote's own sessions are the only ones named agent-sync while its pool is open.
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        await using var command = database.Superuser.CreateCommand("select count(*) from pg_stat_activity where application_name = 'agent-sync' and datname = current_database()");

        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.Superuser.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
