using AgentSync.Remote;
using AgentSync.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class RemoteStateDatabase : PostgresDatabase
{
    protected override string Prefix => "state";
}

/// <summary>
/// A push gives the server each text's state, found by <see cref="RemoteState"/> instead of the migration's
/// extract_state: the two must agree on every text, the corpus's and generated ones built from the pieces the rules
/// look at, and the server must store what it is given.
/// </summary>
public sealed class RemoteStateTests(RemoteStateDatabase database) : IClassFixture<RemoteStateDatabase>
{
    private static readonly string[] Pieces =
    [
        "#", "## ", "##", "###", " ", "\t", "\n", "\r\n", "\r", "State", "Status", "Stat", "state:", "State:", "Status:", "*", "**",
        ":", "DRAFT", "In Progress", " ACCEPTED ", "é✓", "x", "-", "\n\n", "  \n",
    ];

    private async Task<string?[]> ServerStatesAsync(IReadOnlyList<string> texts)
    {
        await using var command = database.Superuser.CreateCommand(
            "select agent_sync_private.extract_state(t) from unnest($1::text[]) with ordinality as u(t, i) order by i");
        command.Parameters.Add(new NpgsqlParameter { Value = texts.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var states = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            states.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        return [.. states];
    }

    private static void AssertSame(IReadOnlyList<string> texts, string?[] server)
    {
        var differ = texts.Select((t, i) => (Text: t, Server: server[i], Client: RemoteState.Of(t))).Where(x => x.Server != x.Client).Take(3).ToList();
        Assert.True(differ.Count == 0, string.Join("; ", differ.Select(d => $"{System.Text.Json.JsonSerializer.Serialize(d.Text)}: server {d.Server ?? "null"}, client {d.Client ?? "null"}")));
    }

    [Fact]
    public async Task The_client_finds_the_state_the_server_finds_in_every_corpus_text()
    {
        var texts = Corpus.Files().Select(f => File.ReadAllText(Path.Combine(Corpus.AgenticDev, f))).ToList();

        var server = await ServerStatesAsync(texts);

        Assert.True(server.Count(s => s is not null) > texts.Count / 2, "most corpus artifacts have a state");
        AssertSame(texts, server);
    }

    [Fact]
    public async Task The_client_finds_the_state_the_server_finds_in_generated_texts()
    {
        var random = new Random(20261126);
        var texts = Enumerable.Range(0, 5000)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => Pieces[random.Next(Pieces.Length)])))
            .ToList();

        var server = await ServerStatesAsync(texts);

        Assert.True(server.Count(s => s is not null) > 500, "enough generated texts have a state to compare");
        AssertSame(texts, server);
    }

    [Theory]
    [InlineData("# S-1: no state in the text\n", "GIVEN")]
    [InlineData("# S-1: t\n\n## State\n\nDRAFT\n", null)]
    public async Task The_server_stores_the_state_it_is_given(string content, string? given)
    {
        var project = "state-" + Guid.NewGuid().ToString("N")[..10];
        await using (var remote = new AgentSync.Remote.Postgres.PostgresRemote(database.Url(), author: "state@example.com"))
            await remote.EnsureProjectAsync(project, CancellationToken.None);
        await using var push = database.Superuser.CreateCommand(
            """
            select status from public.agent_sync_push($1, 1, array[gen_random_uuid()], array['S-1'], array['story'], array[0::bigint],
              array[$2], array[encode(sha256(convert_to($2, 'UTF8')), 'hex')], array[false], array['a@example.com'], null, null, array[$3])
            """);
        push.Parameters.Add(new NpgsqlParameter { Value = project });
        push.Parameters.Add(new NpgsqlParameter { Value = content });
        push.Parameters.Add(new NpgsqlParameter { Value = (object?)given ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        Assert.Equal("accepted", await push.ExecuteScalarAsync());

        await using var read = database.Superuser.CreateCommand(
            "select a.state from agent_sync.artifacts a join agent_sync.projects p using (project_id) where p.name = $1");
        read.Parameters.Add(new NpgsqlParameter { Value = project });
        Assert.Equal(given, await read.ExecuteScalarAsync() as string);
    }

    [Fact]
    public async Task States_of_another_length_than_the_batch_are_refused()
    {
        var project = "state-" + Guid.NewGuid().ToString("N")[..10];
        await using (var remote = new AgentSync.Remote.Postgres.PostgresRemote(database.Url(), author: "state@example.com"))
            await remote.EnsureProjectAsync(project, CancellationToken.None);
        await using var push = database.Superuser.CreateCommand(
            $"""
            select * from public.agent_sync_push('{project}', 1, array[gen_random_uuid()], array['S-1'], array['story'], array[0::bigint],
              array['x'], array[encode(sha256('x'), 'hex')], array[false], array['a@example.com'], null, null, array['A', 'B'])
            """);

        var error = await Assert.ThrowsAsync<PostgresException>(() => push.ExecuteNonQueryAsync());

        Assert.Equal("PT400", error.SqlState);
        Assert.StartsWith("every p_* array must hold the same number of items", error.MessageText, StringComparison.Ordinal);
    }
}
