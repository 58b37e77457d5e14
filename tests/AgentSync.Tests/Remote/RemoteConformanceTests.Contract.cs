using AgentSync.Artifacts;
using AgentSync.Remote;

namespace AgentSync.Tests.Remote;

/// <summary>The rest of what IRemote.cs and docs/remote-protocol.md promise: limits, refusals, retries, the log.</summary>
public abstract partial class RemoteConformanceTests
{
    [Fact]
    public async Task Connect_reports_the_schema_version_it_checked()
    {
        var remote = await OpenRemoteAsync();
        await using var _ = remote;

        var info = await remote.ConnectAsync(CancellationToken.None);

        Assert.Equal(RemoteSchema.Version, info.SchemaVersion);
        Assert.False(string.IsNullOrWhiteSpace(info.Describe));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(RemoteSchema.MaxPageSize + 1)]
    public async Task A_batch_must_hold_1_to_1000_items(int count)
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, count).Select(i => Change($"MANY-{i}", 0, $"{i}\n")).ToList();

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync(project, batch, CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Empty(await PullAllAsync(remote, project));
    }

    [Theory]
    [InlineData("deletion with content")]
    [InlineData("negative base version")]
    [InlineData("unknown kind")]
    [InlineData("upper-case hash")]
    [InlineData("truncated hash")]
    public async Task A_field_out_of_range_refuses_the_whole_batch(string flaw)
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var bad = flaw switch
        {
            "deletion with content" => Change("INFRA-015", 0, "still here\n", deleted: true),
            "negative base version" => Change("INFRA-015", -1, "x\n"),
            "unknown kind" => Change("INFRA-015", 0, "x\n", kind: (ArtifactKind)42),
            "upper-case hash" => Change("INFRA-015", 0, "x\n") with { ContentHash = ContentHash.Of("x\n").ToUpperInvariant() },
            "truncated hash" => Change("INFRA-015", 0, "x\n") with { ContentHash = ContentHash.Of("x\n")[..63] },
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.PushAsync(project, [Change("INFRA-014", 0, "fine\n"), bad], CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Empty(await PullAllAsync(remote, project));
    }

    [Fact]
    public async Task Content_of_exactly_the_maximum_utf8_size_is_accepted_byte_for_byte()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var content = new string('é', RemoteSchema.MaxContentBytes / 2);

        var result = Assert.Single(await remote.PushAsync(project, [Change("INFRA-016", 0, content)], CancellationToken.None));

        Assert.Equal(PushStatus.Accepted, result.Status);
        Assert.Equal(content, Assert.Single(await PullAllAsync(remote, project)).Content);
    }

    [Fact]
    public async Task An_update_of_an_artifact_that_does_not_exist_is_a_conflict_at_version_0_without_a_sequence()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-017", 0, "v1\n")], CancellationToken.None);

        var results = await remote.PushAsync(project, [Change("INFRA-018", 3, "x\n"), Change("INFRA-017", 0, "y\n")], CancellationToken.None);

        Assert.Equal((PushStatus.Conflict, 0L, (long?)null), (results[0].Status, results[0].Version, results[0].Sequence));
        Assert.True(string.IsNullOrEmpty(results[0].Content));
        Assert.Equal((PushStatus.Conflict, 1L, (long?)null, "v1\n"), (results[1].Status, results[1].Version, results[1].Sequence, results[1].Content));
        Assert.Single(await PullAllAsync(remote, project));
    }

    [Fact]
    public async Task A_change_retried_from_another_connection_in_a_bigger_batch_returns_its_first_result_and_the_rest_applies()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var lost = Change("INFRA-019", 0, "first\n");
        var first = Assert.Single(await remote.PushAsync(project, [lost], CancellationToken.None));
        await using var restarted = await OpenRemoteAsync();
        await restarted.ConnectAsync(CancellationToken.None);

        var results = await restarted.PushAsync(project, [Change("INFRA-020", 0, "new\n"), lost, Change("INFRA-019", 1, "second\n")], CancellationToken.None);

        Assert.Equal([PushStatus.Accepted, PushStatus.Accepted, PushStatus.Accepted], results.Select(r => r.Status));
        Assert.Equal((first.Version, first.Sequence), (results[1].Version, results[1].Sequence));
        Assert.Equal(2, results[2].Version);
        Assert.True(results[2].Sequence > results[0].Sequence && results[0].Sequence > first.Sequence);
        Assert.Equal(["INFRA-019", "INFRA-020", "INFRA-019"], (await PullAllAsync(remote, project)).Select(c => c.Id));
    }

    [Fact]
    public async Task A_conflict_does_not_use_up_its_change_id()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-021", 0, "v1\n")], CancellationToken.None);
        var change = Change("INFRA-021", 0, "mine\n");

        var rejected = Assert.Single(await remote.PushAsync(project, [change], CancellationToken.None));
        var merged = Assert.Single(await remote.PushAsync(project, [change with { BaseVersion = rejected.Version }], CancellationToken.None));

        Assert.Equal((PushStatus.Conflict, PushStatus.Accepted, 2L), (rejected.Status, merged.Status, merged.Version));
    }

    [Fact]
    public async Task A_null_description_stays_null_and_the_log_carries_the_push_time()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var before = DateTimeOffset.UtcNow;

        await remote.PushAsync(project, [Change("INFRA-022", 0, "x\n") with { Description = null }], CancellationToken.None);

        var pulled = Assert.Single(await PullAllAsync(remote, project));
        Assert.Null(pulled.Description);
        // Generous: the server's clock may differ a little from the test's, but never by an hour.
        Assert.InRange(pulled.CreatedAt, before.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Pull_clamps_a_limit_below_1_to_1(int limit)
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-023", 0, "a\n"), Change("INFRA-024", 0, "b\n")], CancellationToken.None);

        var page = await remote.PullAsync(project, 0, limit, CancellationToken.None);

        Assert.Equal(("INFRA-023", true), (Assert.Single(page.Changes).Id, page.More));
    }

    [Fact]
    public async Task Log_keeps_tombstones_and_separates_kinds()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-025", 0, "story\n"), Change("INFRA-025", 0, "plan\n", ArtifactKind.Plan)], CancellationToken.None);
        await remote.PushAsync(project, [Change("INFRA-025", 1, "", deleted: true)], CancellationToken.None);

        var story = await remote.LogAsync(project, "INFRA-025", ArtifactKind.Story, CancellationToken.None);
        var plan = await remote.LogAsync(project, "INFRA-025", ArtifactKind.Plan, CancellationToken.None);
        var none = await remote.LogAsync(project, "INFRA-999", ArtifactKind.Story, CancellationToken.None);

        Assert.Equal([(1L, false, "story\n"), (2L, true, "")], story.Select(c => (c.Version, c.Deleted, c.Content)));
        Assert.Equal("plan\n", Assert.Single(plan).Content);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Pull_next_id_and_log_on_a_project_that_does_not_exist_are_refused()
    {
        var remote = await OpenRemoteAsync();
        await using var _ = remote;
        await remote.ConnectAsync(CancellationToken.None);
        var missing = NewProject();

        var errors = new[]
        {
            await Assert.ThrowsAsync<RemoteException>(() => remote.PullAsync(missing, 0, 10, CancellationToken.None)),
            await Assert.ThrowsAsync<RemoteException>(() => remote.NextIdAsync(missing, "INFRA", CancellationToken.None)),
            await Assert.ThrowsAsync<RemoteException>(() => remote.LogAsync(missing, "INFRA-001", ArtifactKind.Story, CancellationToken.None)),
        };

        Assert.All(errors, e => Assert.Equal(RemoteErrorKind.NotFound, e.Kind));
    }

    [Fact]
    public async Task A_malformed_project_name_or_scope_is_refused()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;

        var badProject = await Assert.ThrowsAsync<RemoteException>(() => remote.EnsureProjectAsync("../other", CancellationToken.None));
        var badScope = await Assert.ThrowsAsync<RemoteException>(() => remote.NextIdAsync(project, "infra", CancellationToken.None));

        Assert.Equal((RemoteErrorKind.Invalid, RemoteErrorKind.Invalid), (badProject.Kind, badScope.Kind));
    }

    [Fact]
    public async Task Next_id_counts_tombstones_and_ignores_ids_that_are_not_scope_dash_number()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("OPS-010", 0, "x\n"), Change("OPS-500-draft", 0, "y\n"), Change("OPSX-900", 0, "z\n")], CancellationToken.None);
        await remote.PushAsync(project, [Change("OPS-010", 1, "", deleted: true)], CancellationToken.None);

        var next = await remote.NextIdAsync(project, "OPS", CancellationToken.None);
        var after = await remote.NextIdAsync(project, "OPS", CancellationToken.None);

        Assert.Equal((11L, 12L), (next, after));
    }
}
