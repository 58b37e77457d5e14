using System.Globalization;
using System.Text.Json;
using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class AuditDatabase : PostgresDatabase
{
    protected override string Prefix => "audit";
}

/// <summary>
/// The remote audit log is a per-project hash chain over pseudonyms. These tests recompute every hash independently of
/// the SQL, so a change to what the hash covers, or a row rewritten behind the triggers, is caught.
/// </summary>
public sealed class AuditChainTests(AuditDatabase database) : IClassFixture<AuditDatabase>
{
    private const string Zero = "0000000000000000000000000000000000000000000000000000000000000000";

    private static string NewProject() => "audit-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The documented hash input: prev|project|seq|created_at (UTC, microseconds)|pseudonym|operation|outcome|details.</summary>
    private static string ExpectedHash(string project, RemoteAuditEntry e) => ContentHash.Of(string.Join('|',
        e.PreviousHash,
        project,
        e.Sequence.ToString(CultureInfo.InvariantCulture),
        e.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        e.ActorPseudonym.ToString(),
        e.Operation,
        e.Outcome,
        e.Details));

    private static void AssertChainValid(string project, IReadOnlyList<RemoteAuditEntry> entries)
    {
        var previous = Zero;
        foreach (var entry in entries)
        {
            Assert.Equal(previous, entry.PreviousHash);
            Assert.Equal(ExpectedHash(project, entry), entry.RowHash);
            previous = entry.RowHash;
        }
    }

    private static JsonElement Details(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task A_record_that_states_the_callers_rights_is_given_the_servers_answer_and_one_that_does_not_is_left_as_sent()
    {
        await using var remote = new PostgresRemote(database.Url(), author: "dana@example.com");
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);

        // The superuser acts with full rights: a record claiming otherwise is corrected before it is hashed.
        await remote.AuditAppendAsync(project, "push", "ok", Details("""{"service_role": false, "n": 1}"""), CancellationToken.None);
        await remote.AuditAppendAsync(project, "push", "ok", Details("""{"service_role": true, "n": 2}"""), CancellationToken.None);
        await remote.AuditAppendAsync(project, "push", "ok", Details("""{"n": 3}"""), CancellationToken.None);

        var entries = await ((IRemoteAudit)remote).ListAuditAsync(project, null, CancellationToken.None);
        var details = entries.Select(e => JsonDocument.Parse(e.Details).RootElement).ToList();
        Assert.True(details[0].GetProperty("service_role").GetBoolean());
        Assert.True(details[1].GetProperty("service_role").GetBoolean());
        Assert.False(details[2].TryGetProperty("service_role", out _));
        Assert.Equal([1, 2, 3], details.Select(d => d.GetProperty("n").GetInt32()));
        Assert.True(((IRemoteAudit)remote).ServiceRole);
        AssertChainValid(project, entries);
    }

    [Fact]
    public async Task Appends_form_a_chain_whose_hashes_recompute()
    {
        await using var remote = new PostgresRemote(database.Url(), author: "dana@example.com");
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);

        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
            sequences.Add(await remote.AuditAppendAsync(project, "push", $"ok {i}", Details($$"""{"changes": [{"id": "A-{{i}}", "version": {{i + 1}}}]}"""), CancellationToken.None));
        sequences.Add(await remote.AuditAppendAsync(project, "pull", "ok", null, CancellationToken.None));

        var entries = await remote.AuditListAsync(project, null, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5, 6], sequences);
        Assert.Equal(6, entries.Count);
        Assert.All(entries, e => Assert.Equal("dana@example.com", e.Actor));
        AssertChainValid(project, entries);
        var since = await remote.AuditListAsync(project, entries[4].CreatedAt, CancellationToken.None);
        Assert.Equal(entries.Where(e => e.CreatedAt >= entries[4].CreatedAt).Select(e => e.Sequence), since.Select(e => e.Sequence));
    }

    // The client adds its author only when the details name no actor at their top level; it reads no further than that.
    [Theory]
    [InlineData("""{"changes": {"actor": "nested@example.com"}, "n": [1, {"actor": "x@example.com"}]}""", "dana@example.com")]
    [InlineData("""{"note": "first", "list": [{"a": 1}], "actor": "erin@example.com"}""", "erin@example.com")]
    [InlineData("""{}""", "dana@example.com")]
    public async Task The_actor_is_the_top_level_actor_of_the_details_else_the_remote_author(string details, string actor)
    {
        await using var remote = new PostgresRemote(database.Url(), author: "dana@example.com");
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);

        await ((IRemoteAudit)remote).AppendAuditAsync(project, "push", "ok", details, CancellationToken.None);

        Assert.Equal(actor, Assert.Single(await remote.AuditListAsync(project, null, CancellationToken.None)).Actor);
    }

    [Fact]
    public async Task A_prepared_entry_is_seen_only_once_committed_and_a_withdrawn_one_leaves_no_gap()
    {
        await using var remote = new PostgresRemote(database.Url(), author: "fay@example.com");
        IRemoteAudit audit = remote;
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        await remote.AuditAppendAsync(project, "push", "ok", null, CancellationToken.None);

        await using (await audit.PrepareAuditAsync(project, "pull", "ok", """{"actor": "fay@example.com", "n": 1}""", CancellationToken.None))
        {
        }

        await using var kept = await audit.PrepareAuditAsync(project, "pull", "ok", """{"actor": "fay@example.com", "n": 2}""", CancellationToken.None);
        Assert.Single(await remote.AuditListAsync(project, null, CancellationToken.None));
        Assert.Equal(2, await kept.CommitAsync(CancellationToken.None));

        var entries = await remote.AuditListAsync(project, null, CancellationToken.None);
        Assert.Equal([1L, 2L], entries.Select(e => e.Sequence));
        Assert.Equal(2, JsonDocument.Parse(entries[1].Details).RootElement.GetProperty("n").GetInt32());
        AssertChainValid(project, entries);
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        await using var remote = new PostgresRemote(database.Url(), author: "erin@example.com");
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => remote.AuditAppendAsync(project, "push", $"ok {i}", null, CancellationToken.None))));

        var entries = await remote.AuditListAsync(project, null, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), entries.Select(e => e.Sequence));
        AssertChainValid(project, entries);
    }

    [Fact]
    public async Task A_row_rewritten_behind_the_triggers_breaks_the_recomputed_chain()
    {
        await using var remote = new PostgresRemote(database.Url(), author: "frank@example.com");
        var project = NewProject();
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        for (var i = 0; i < 3; i++)
            await remote.AuditAppendAsync(project, "push", "ok", null, CancellationToken.None);

        // Only a superuser can switch triggers off (replica mode); that is the tampering the chain exists to reveal.
        await using (var connection = await database.Superuser.OpenConnectionAsync())
        {
            await using (var replica = new NpgsqlCommand("set session_replication_role = replica", connection))
                await replica.ExecuteNonQueryAsync();
            await using var tamper = new NpgsqlCommand(
                "update agent_sync.audit_log set outcome = 'failed' where seq = 2 and project_id = (select project_id from agent_sync.projects where name = $1)",
                connection);
            tamper.Parameters.Add(new NpgsqlParameter { Value = project });
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
            await using var restore = new NpgsqlCommand("reset session_replication_role", connection);
            await restore.ExecuteNonQueryAsync();
        }

        var entries = await remote.AuditListAsync(project, null, CancellationToken.None);
        Assert.NotEqual(ExpectedHash(project, entries[1]), entries[1].RowHash);
    }

    [Fact]
    public async Task Forget_erases_an_email_from_every_table_and_the_chain_stays_valid()
    {
        const string gone = "Grace.Hopper@Example.com";
        const string stays = "henry@example.com";
        await using var admin = new PostgresRemote(database.Url());
        await using var grace = new PostgresRemote(database.Url(), author: gone);
        var project = NewProject();
        await admin.EnsureProjectAsync(project, CancellationToken.None);
        await admin.AddMemberAsync(project, Guid.NewGuid(), gone, CancellationToken.None);
        await admin.AddMemberAsync(project, Guid.NewGuid(), stays, CancellationToken.None);
        var content = "# GDPR-001: Erasure\n";
        await grace.PushAsync(project, [new RemoteChange(Guid.NewGuid(), "GDPR-001", ArtifactKind.Story, 0, content, ContentHash.Of(content), false, gone, $"reviewed by {gone.ToLowerInvariant()}")], CancellationToken.None);
        await grace.AuditAppendAsync(project, "push", "ok", Details($$"""{"actor": "{{gone}}", "reviewers": ["{{stays}}", "{{gone.ToUpperInvariant()}}"]}"""), CancellationToken.None);
        await grace.AuditAppendAsync(project, "pull", "ok", null, CancellationToken.None);
        await admin.AuditAppendAsync(project, "push", "ok", Details($$"""{"actor": "{{stays}}", "note": "after {{gone}}"}"""), CancellationToken.None);
        var before = await admin.AuditListAsync(project, null, CancellationToken.None);
        AssertChainValid(project, before);

        using var receipt = await admin.ForgetAsync(gone, CancellationToken.None);

        var after = await admin.AuditListAsync(project, null, CancellationToken.None);
        AssertChainValid(project, after);
        Assert.Equal(before.Select(e => e.RowHash), after.Select(e => e.RowHash));
        var label = receipt.RootElement.GetProperty("erased_as").GetString()!;
        Assert.Matches("^erased-[0-9a-f]{8}$", label);
        Assert.Equal([label, label, stays], after.Select(e => e.Actor));
        Assert.Equal(1, receipt.RootElement.GetProperty("artifacts").GetInt64());
        Assert.Equal(1, receipt.RootElement.GetProperty("change_log").GetInt64());
        Assert.Equal(2, receipt.RootElement.GetProperty("audit_log").GetInt64());
        Assert.Equal(1, receipt.RootElement.GetProperty("members").GetInt64());
        Assert.Equal(label, Assert.Single(await admin.LogAsync(project, "GDPR-001", ArtifactKind.Story, CancellationToken.None)).Author);
        Assert.Empty(await TextColumnsContainingAsync(gone));
        Assert.NotEmpty(await TextColumnsContainingAsync(stays));
    }

    /// <summary>Every text-like column of every agent-sync table that still holds the value, case-insensitively.</summary>
    private async Task<List<string>> TextColumnsContainingAsync(string value)
    {
        var columns = new List<(string Table, string Column)>();
        await using (var list = database.Superuser.CreateCommand(
            """
            select table_name, column_name from information_schema.columns
            where table_schema = 'agent_sync' and data_type in ('text', 'character varying', 'jsonb', 'json', 'character')
            order by 1, 2
            """))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Contains(("audit_log", "details"), columns);
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var probe = database.Superuser.CreateCommand($"select count(*) from agent_sync.\"{table}\" where strpos(lower(\"{column}\"::text), lower($1)) > 0");
            probe.Parameters.Add(new NpgsqlParameter { Value = value });
            if ((long)(await probe.ExecuteScalarAsync())! > 0)
                hits.Add($"{table}.{column}");
        }

        return hits;
    }
}
