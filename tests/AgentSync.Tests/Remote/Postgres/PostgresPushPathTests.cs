using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class PushPathDatabase : PostgresDatabase
{
    protected override string Prefix => "pushpath";
}

/// <summary>
/// The migration decides a batch in one statement unless an artifact appears twice in it, then row by row. Both paths
/// must give the same answers; the conformance suite mostly reaches the first, these reach both on purpose.
/// </summary>
public sealed class PostgresPushPathTests(PushPathDatabase database) : IClassFixture<PushPathDatabase>
{
    private static RemoteChange Change(string id, long baseVersion, string content, Guid? changeId = null, ArtifactKind kind = ArtifactKind.Story) =>
        new(changeId ?? Guid.NewGuid(), id, kind, baseVersion, content, ContentHash.Of(content), false, "path@example.com", "path");

    private async Task<(PostgresRemote Remote, string Project)> OpenAsync()
    {
        var remote = new PostgresRemote(database.Url());
        var project = "path-" + Guid.NewGuid().ToString("N")[..10];
        await remote.EnsureProjectAsync(project, CancellationToken.None);
        return (remote, project);
    }

    [Fact]
    public async Task Two_changes_to_one_artifact_in_a_batch_apply_in_order()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;

        var results = await remote.PushAsync(project, [Change("TWICE-1", 0, "v1\n"), Change("OTHER-1", 0, "o\n"), Change("TWICE-1", 1, "v2\n")], CancellationToken.None);

        Assert.Equal([(PushStatus.Accepted, 1L), (PushStatus.Accepted, 1L), (PushStatus.Accepted, 2L)], results.Select(r => (r.Status, r.Version)));
        Assert.Equal([1L, 2L, 3L], results.Select(r => r.Sequence!.Value));
        var log = await remote.LogAsync(project, "TWICE-1", ArtifactKind.Story, CancellationToken.None);
        Assert.Equal(["v1\n", "v2\n"], log.Select(c => c.Content));
        Assert.Equal(3, (await remote.PullAsync(project, 0, 100, CancellationToken.None)).Changes.Count);
    }

    [Fact]
    public async Task The_second_of_two_changes_on_the_same_base_conflicts_with_the_first()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;

        var results = await remote.PushAsync(project, [Change("RACE-1", 0, "mine\n"), Change("RACE-1", 0, "also mine\n")], CancellationToken.None);

        Assert.Equal((PushStatus.Accepted, 1L), (results[0].Status, results[0].Version));
        Assert.Equal((PushStatus.Conflict, 1L, "mine\n", (long?)null), (results[1].Status, results[1].Version, results[1].Content, results[1].Sequence));
    }

    [Fact]
    public async Task A_retry_mixed_with_new_changes_returns_the_recorded_result_on_both_paths()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;
        var first = Change("MIX-1", 0, "one\n");
        var applied = Assert.Single(await remote.PushAsync(project, [first], CancellationToken.None));

        var fast = await remote.PushAsync(project, [first, Change("MIX-2", 0, "two\n")], CancellationToken.None);
        var slow = await remote.PushAsync(project, [first, Change("MIX-3", 0, "three\n"), Change("MIX-3", 1, "three again\n")], CancellationToken.None);

        Assert.Equal((PushStatus.Accepted, applied.Version, applied.Sequence), (fast[0].Status, fast[0].Version, fast[0].Sequence));
        Assert.Equal((PushStatus.Accepted, applied.Version, applied.Sequence), (slow[0].Status, slow[0].Version, slow[0].Sequence));
        Assert.Equal([2L, 3L, 4L], new[] { fast[1], slow[1], slow[2] }.Select(r => r.Sequence!.Value));
        Assert.Equal(4, (await remote.PullAsync(project, 0, 100, CancellationToken.None)).Changes.Count);
    }

    [Fact]
    public async Task A_conflict_on_an_artifact_that_does_not_exist_reports_version_0_and_no_content()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;

        var result = Assert.Single(await remote.PushAsync(project, [Change("GHOST-1", 3, "edit of nothing\n")], CancellationToken.None));

        Assert.Equal((PushStatus.Conflict, 0L, (string?)null, false), (result.Status, result.Version, result.Content, result.Deleted));
    }

    [Fact]
    public async Task The_same_change_id_twice_in_one_batch_is_refused()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;
        var id = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.PushAsync(project, [Change("DUP-1", 0, "a\n"), Change("DUP-2", 0, "b\n", id), Change("DUP-3", 0, "c\n", id)], CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.StartsWith("item 1: change id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# S-1: t\n\n## State\n\nDRAFT\n", "DRAFT")]
    [InlineData("# S-1: t\r\n## Status\r\nIn Progress\r\n", "In Progress")]
    [InlineData("# S-1: t\n\nStatus: ACCEPTED\n\nbody\n", "ACCEPTED")]
    [InlineData("id: JRN-001\nstate: ACTIVE\n", "ACTIVE")]
    [InlineData("# S-1: no state here\n", null)]
    public async Task The_state_column_is_filled_from_the_content(string content, string? state)
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;

        await remote.PushAsync(project, [Change("S-1", 0, content)], CancellationToken.None);

        await using var command = database.Superuser.CreateCommand(
            "select a.state from agent_sync.artifacts a join agent_sync.projects p using (project_id) where p.name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = project });
        var value = await command.ExecuteScalarAsync();
        Assert.Equal(state, value as string);
    }

    [Fact]
    public async Task Texts_up_to_8_KB_stay_in_the_log_row_uncompressed_on_both_paths_larger_ones_compressed_and_heads_name_their_row()
    {
        var (remote, project) = await OpenAsync();
        await using var _ = remote;
        // ASCII only, so that characters are bytes and a cut never splits one.
        var corpus = new string([.. Corpus.Files().Order(StringComparer.Ordinal).Take(40)
            .SelectMany(f => File.ReadAllText(Path.Combine(Corpus.AgenticDev, f))).Where(c => c < 128)]);
        string Text(int bytes) => corpus[..bytes];
        var small = Text(3_000);
        var large = Text(7_500);
        var huge = Text(40_000);

        // The fast path (each artifact once), then the slow one (an artifact twice in the batch).
        await remote.PushAsync(project, [Change("ROW-1", 0, small), Change("ROW-2", 0, large), Change("ROW-3", 0, huge)], CancellationToken.None);
        await remote.PushAsync(project, [Change("ROW-4", 0, small), Change("ROW-4", 1, large), Change("ROW-5", 0, huge)], CancellationToken.None);

        // The log holds each text; a head holds none, only the seq of its version's log row.
        await using var command = database.Superuser.CreateCommand(
            """
            select coalesce(a.id || ' v' || a.version || ' ->', 'none ->'), c.id, c.version,
                   pg_column_compression(c.content), pg_column_size(c.content) >= octet_length(c.content)
            from agent_sync.change_log c
            join agent_sync.projects p using (project_id)
            left join agent_sync.artifacts a on a.project_id = c.project_id and a.seq = c.seq
            where p.name = $1
            order by 2, 3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = project });
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add($"{reader.GetString(0)} {reader.GetString(1)} v{reader.GetInt64(2)} {(reader.IsDBNull(3) ? "plain" : "compressed")} {(reader.GetBoolean(4) ? "whole" : "smaller")}");
        }

        Assert.Equal(
            [
                "ROW-1 v1 -> ROW-1 v1 plain whole", "ROW-2 v1 -> ROW-2 v1 plain whole", "ROW-3 v1 -> ROW-3 v1 compressed smaller",
                "none -> ROW-4 v1 plain whole", "ROW-4 v2 -> ROW-4 v2 plain whole", "ROW-5 v1 -> ROW-5 v1 compressed smaller",
            ],
            rows);
        Assert.False(await HeadsHaveAColumnAsync(database, "content"));
        // Stored either way, every text comes back byte for byte.
        var pulled = (await remote.PullAsync(project, 0, 100, CancellationToken.None)).Changes;
        Assert.Equal([small, large, huge, small, large, huge], pulled.Select(c => c.Content));
    }

    private static async Task<bool> HeadsHaveAColumnAsync(PostgresDatabase database, string column)
    {
        await using var command = database.Superuser.CreateCommand(
            "select exists (select 1 from information_schema.columns where table_schema = 'agent_sync' and table_name = 'artifacts' and column_name = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = column });
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
