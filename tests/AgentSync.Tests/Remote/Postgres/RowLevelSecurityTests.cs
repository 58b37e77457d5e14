using AgentSync.Artifacts;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

/// <summary>
/// Two users, each owning one project with an artifact, a change and an audit entry, set up through the RPC functions
/// as PostgREST would call them. The tests then act as those users, as anon and as the service role.
/// </summary>
public sealed class RlsDatabase : PostgresDatabase
{
    public static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    public static readonly Guid Bob = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    public const string AliceEmail = "alice@example.com";
    public const string BobEmail = "bob@example.com";
    public const string AliceProject = "alice-project";
    public const string BobProject = "bob-project";

    protected override string Prefix => "rls";

    public async Task SeedAsync()
    {
        foreach (var (user, email, project) in new[] { (Alice, AliceEmail, AliceProject), (Bob, BobEmail, BobProject) })
        {
            await using var session = await SupabaseSession.UserAsync(Superuser, user, email);
            Assert.True(await session.ScalarAsync<bool>("select public.agent_sync_create_project($1, 1)", project));
            Assert.Equal("accepted", await PushAsync(session, project, "SEC-001", $"# SEC-001 of {email}\n", "someone-else@example.com"));
            await session.ScalarAsync<long>("select public.agent_sync_audit_append($1, 1, 'push', 'ok', '{}'::jsonb)", project);
            await session.CommitAsync();
        }
    }

    public static Task<string> PushAsync(SupabaseSession session, string project, string id, string content, string author = "x@example.com") =>
        session.ScalarAsync<string>(
            """
            select status from public.agent_sync_push($1, 1, array[$2::uuid], array[$3], array['story'], array[0::bigint],
              array[$4], array[$5], array[false], array[$6], array['rls test'])
            """,
            project, Guid.NewGuid(), id, content, ContentHash.Of(content), author);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync();
    }
}

public sealed class RowLevelSecurityTests(RlsDatabase database) : IClassFixture<RlsDatabase>
{
    private static readonly string[] Tables = ["projects", "project_members", "artifacts", "change_log", "id_counters", "audit_log"];

    private NpgsqlDataSource Db => database.Superuser;

    [Fact]
    public async Task A_member_reads_only_the_rows_of_their_own_projects()
    {
        foreach (var (user, email, mine) in new[] { (RlsDatabase.Alice, RlsDatabase.AliceEmail, RlsDatabase.AliceProject), (RlsDatabase.Bob, RlsDatabase.BobEmail, RlsDatabase.BobProject) })
        {
            await using var session = await SupabaseSession.UserAsync(Db, user, email);
            foreach (var table in new[] { "artifacts", "change_log", "audit_log", "project_members" })
            {
                var names = await ProjectNamesAsync(session, table);
                Assert.Equal([mine], names);
            }

            Assert.Equal([mine], await ProjectNamesAsync(session, "projects"));
            Assert.Equal(1L, await session.ScalarAsync<long>("select count(*) from agent_sync.artifacts"));
            Assert.Contains(email, await session.ScalarAsync<string>("select c.content from agent_sync.artifacts a join agent_sync.change_log c using (project_id, seq)"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_user_can_neither_read_nor_change_another_users_project_through_the_functions()
    {
        string[] calls =
        [
            "select * from public.agent_sync_pull('bob-project', 1, 0, 100)",
            "select * from public.agent_sync_log('bob-project', 1, 'SEC-001', 'story')",
            "select public.agent_sync_next_id('bob-project', 1, 'SEC')",
            "select * from public.agent_sync_audit_list('bob-project', 1, null)",
            "select public.agent_sync_audit_append('bob-project', 1, 'push', 'ok', '{}'::jsonb)",
            "select public.agent_sync_add_member('bob-project', 1, 'aaaaaaaa-0000-4000-8000-000000000001', 'alice@example.com')",
            "select public.agent_sync_create_project('bob-project', 1)",
        ];
        foreach (var call in calls)
        {
            await using var session = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail);
            Assert.Equal("PT404", await session.FailsWithAsync(call));
        }

        var foreign = await PushFailureAsync(RlsDatabase.BobProject);
        var missing = await PushFailureAsync("no-such-project");
        Assert.Equal("PT404", foreign.SqlState);
        // Same answer as for a project that does not exist: nothing leaks about bob-project.
        Assert.Equal(missing.MessageText, foreign.MessageText.Replace(RlsDatabase.BobProject, "no-such-project", StringComparison.Ordinal));

        await using var bob = await SupabaseSession.UserAsync(Db, RlsDatabase.Bob, RlsDatabase.BobEmail);
        Assert.Equal(1L, await bob.ScalarAsync<long>("select version from agent_sync.artifacts where id = 'SEC-001'"));
    }

    [Theory]
    [InlineData("insert into agent_sync.artifacts (project_id, id, kind, version, seq, content_hash, author) select project_id, 'X-1', 'story', 1, 1, '', 'a' from agent_sync.projects")]
    [InlineData("update agent_sync.artifacts set content_hash = 'hacked'")]
    [InlineData("delete from agent_sync.artifacts")]
    [InlineData("insert into agent_sync.project_members (project_id, user_id) select project_id, 'aaaaaaaa-0000-4000-8000-000000000001' from agent_sync.projects")]
    [InlineData("update agent_sync.projects set last_seq = 0")]
    [InlineData("insert into agent_sync.change_log (project_id, seq, change_id, id, kind, version, content, content_hash, deleted, author) values (1, 99, gen_random_uuid(), 'X', 'story', 1, '', '', false, 'a')")]
    [InlineData("update agent_sync.change_log set author = 'x'")]
    [InlineData("delete from agent_sync.change_log")]
    [InlineData("update agent_sync.audit_log set outcome = 'x'")]
    [InlineData("delete from agent_sync.audit_log")]
    [InlineData("update agent_sync.id_counters set last_value = 0")]
    [InlineData("select * from agent_sync.actor_pseudonyms")]
    [InlineData("select agent_sync_private.pseudonym_for('x@example.com')")]
    public async Task Members_and_the_service_role_cannot_write_tables_directly(string sql)
    {
        await using (var member = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail))
            Assert.Equal("42501", await member.FailsWithAsync(sql));
        await using (var service = await SupabaseSession.ServiceRoleAsync(Db))
            Assert.Equal("42501", await service.FailsWithAsync(sql));
    }

    [Theory]
    [InlineData("change_log", "update agent_sync.change_log set author = 'rewritten'")]
    [InlineData("change_log", "delete from agent_sync.change_log")]
    [InlineData("change_log", "truncate agent_sync.change_log")]
    [InlineData("audit_log", "update agent_sync.audit_log set outcome = 'rewritten'")]
    [InlineData("audit_log", "delete from agent_sync.audit_log")]
    [InlineData("audit_log", "truncate agent_sync.audit_log")]
    // The log has no foreign key to its project; the trigger standing in for the cascade meets the append-only one.
    [InlineData("change_log", "delete from agent_sync.projects")]
    public async Task Even_the_owner_cannot_rewrite_the_logs(string table, string sql)
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal("42501", error.SqlState);
        Assert.Contains($"agent_sync.{table} is append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_erase_switch_does_not_open_the_logs_to_anyone_else()
    {
        // The setting forget uses is an ordinary GUC anyone may set; without UPDATE privilege it opens nothing.
        await using var member = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail);
        await member.ExecuteAsync("select set_config('agent_sync.erasing', 'on', true)");

        Assert.Equal("42501", await member.FailsWithAsync("update agent_sync.change_log set author = 'x'"));
    }

    [Fact]
    public async Task Anon_sees_nothing_and_can_call_nothing_but_the_schema_version()
    {
        foreach (var table in Tables)
        {
            await using var anon = await SupabaseSession.AnonAsync(Db);
            Assert.Equal("42501", await anon.FailsWithAsync($"select * from agent_sync.{table}"));
        }

        string[] calls =
        [
            "select public.agent_sync_create_project('anon-project', 1)",
            "select * from public.agent_sync_pull('alice-project', 1, 0, 100)",
            "select public.agent_sync_next_id('alice-project', 1, 'SEC')",
            "select * from public.agent_sync_audit_list('alice-project', 1, null)",
            "select public.agent_sync_forget('alice@example.com', 1)",
        ];
        foreach (var call in calls)
        {
            await using var anon = await SupabaseSession.AnonAsync(Db);
            Assert.Equal("42501", await anon.FailsWithAsync(call));
        }

        await using (var anon = await SupabaseSession.AnonAsync(Db))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => RlsDatabase.PushAsync(anon, RlsDatabase.AliceProject, "SEC-002", "anon\n"));
            Assert.Equal("42501", error.SqlState);
        }

        await using var reader = await SupabaseSession.AnonAsync(Db);
        Assert.Equal(1, await reader.ScalarAsync<int>("select public.agent_sync_schema_version()"));
    }

    [Fact]
    public async Task Forget_is_refused_for_everyone_but_the_service_role_even_with_forged_claims()
    {
        await using (var member = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail))
            Assert.Equal("42501", await member.FailsWithAsync("select public.agent_sync_forget('bob@example.com', 1)"));

        // Claims are only settings: a session running as authenticated cannot promote itself by writing them.
        var forged = new Dictionary<string, object> { ["sub"] = RlsDatabase.Alice, ["role"] = "service_role" };
        await using (var spoof = await SupabaseSession.OpenAsync(Db, "authenticated", forged))
            Assert.Equal("42501", await spoof.FailsWithAsync("select public.agent_sync_forget('bob@example.com', 1)"));

        // The service role may: an address nobody used erases nothing but still answers with a receipt.
        await using var service = await SupabaseSession.ServiceRoleAsync(Db);
        Assert.Contains("\"artifacts\": 0", await service.ScalarAsync<string>("select public.agent_sync_forget('nobody@example.com', 1)::text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_author_of_a_signed_in_push_is_the_jwt_email_not_what_the_client_claims()
    {
        await using var session = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail);

        Assert.Equal(RlsDatabase.AliceEmail, await session.ScalarAsync<string>("select author from agent_sync.change_log where id = 'SEC-001'"));
        Assert.Equal(RlsDatabase.AliceEmail, await session.ScalarAsync<string>("select author from agent_sync.artifacts where id = 'SEC-001'"));
    }

    [Fact]
    public async Task A_member_can_add_a_member_who_then_sees_the_project()
    {
        var carol = Guid.NewGuid();
        await using (var alice = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail))
        {
            await alice.ExecuteAsync("select public.agent_sync_add_member('alice-project', 1, $1, 'carol@example.com')", carol);
            await alice.CommitAsync();
        }

        await using var session = await SupabaseSession.UserAsync(Db, carol, "carol@example.com");
        Assert.Equal([RlsDatabase.AliceProject], await ProjectNamesAsync(session, "artifacts"));
        Assert.Equal(1L, await session.ScalarAsync<long>("select count(*) from public.agent_sync_pull('alice-project', 1, 0, 100)"));
    }

    private async Task<PostgresException> PushFailureAsync(string project)
    {
        await using var session = await SupabaseSession.UserAsync(Db, RlsDatabase.Alice, RlsDatabase.AliceEmail);
        return await Assert.ThrowsAsync<PostgresException>(() => RlsDatabase.PushAsync(session, project, "SEC-001", "overwrite\n"));
    }

    private static async Task<List<string>> ProjectNamesAsync(SupabaseSession session, string table)
    {
        // Join to projects as the same user: both tables are filtered by RLS, so a leak in either shows.
        var sql = table == "projects"
            ? "select distinct p.name from agent_sync.projects p order by 1"
            : $"select distinct coalesce(p.name, '<hidden project ' || t.project_id || '>') from agent_sync.{table} t left join agent_sync.projects p using (project_id) order by 1";
        await using var command = session.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }
}
