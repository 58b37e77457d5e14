using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Remote;

namespace AgentSync.Tests.Remote;

/// <summary>
/// The one contract every transport must meet. Each subclass only says how to open its remote; the tests run unchanged.
/// Every test uses its own project, so subclasses may share one server or file per class.
/// </summary>
public abstract partial class RemoteConformanceTests
{
    /// <summary>A remote connected with credentials that may create projects (service role or owner).</summary>
    protected abstract Task<IRemote> OpenRemoteAsync();

    /// <summary>Overwrites the schema version the remote reports, to test client/remote drift.</summary>
    protected abstract Task SetRemoteSchemaVersionAsync(int version);

    private static readonly string Author = "alice@example.com";

    private static string NewProject() => "p-" + Guid.NewGuid().ToString("N")[..12];

    private static RemoteChange Change(string id, long baseVersion, string content, ArtifactKind kind = ArtifactKind.Story, bool deleted = false, Guid? changeId = null) =>
        new(changeId ?? Guid.NewGuid(), id, kind, baseVersion, content, ContentHash.Of(content), deleted, Author, "test change");

    private async Task<(IRemote Remote, string Project)> OpenProjectAsync()
    {
        var remote = await OpenRemoteAsync();
        await remote.ConnectAsync(CancellationToken.None);
        var project = NewProject();
        Assert.True(await remote.EnsureProjectAsync(project, CancellationToken.None));
        Assert.False(await remote.EnsureProjectAsync(project, CancellationToken.None));
        return (remote, project);
    }

    private static async Task<List<RemoteChangeRecord>> PullAllAsync(IRemote remote, string project, int pageSize = 1000)
    {
        var all = new List<RemoteChangeRecord>();
        long after = 0;
        while (true)
        {
            var page = await remote.PullAsync(project, after, pageSize, CancellationToken.None);
            all.AddRange(page.Changes);
            after = page.LastSequence(after);
            if (!page.More)
                return all;
        }
    }

    [Fact]
    public async Task Create_returns_version_1_and_appears_in_the_change_log()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var content = "# INFRA-001: Title\n\n## State\n\nDRAFT\n";

        var result = Assert.Single(await remote.PushAsync(project, [Change("INFRA-001", 0, content)], CancellationToken.None));

        Assert.Equal(PushStatus.Accepted, result.Status);
        Assert.Equal(1, result.Version);
        Assert.NotNull(result.Sequence);
        var pulled = Assert.Single(await PullAllAsync(remote, project));
        Assert.Equal(("INFRA-001", ArtifactKind.Story, 1L, content, false, Author), (pulled.Id, pulled.Kind, pulled.Version, pulled.Content, pulled.Deleted, pulled.Author));
        Assert.Equal(ContentHash.Of(content), pulled.ContentHash);
        Assert.Equal(result.Sequence, pulled.Sequence);
        Assert.Equal("test change", pulled.Description);
    }

    [Fact]
    public async Task Bytes_survive_exactly_including_bom_crlf_and_unicode()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var content = "\uFEFF# WEB-001: Ünïcödé — “quotes” 🚀\r\n\r\n## State\r\nDRAFT\r\n\ttab, no trailing newline";

        await remote.PushAsync(project, [Change("WEB-001", 0, content)], CancellationToken.None);

        var pulled = Assert.Single(await PullAllAsync(remote, project));
        Assert.Equal(content, pulled.Content);
    }

    [Fact]
    public async Task Update_with_the_right_base_is_accepted_and_with_a_stale_base_is_a_conflict_carrying_the_head()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-002", 0, "v1\n")], CancellationToken.None);

        var second = Assert.Single(await remote.PushAsync(project, [Change("INFRA-002", 1, "v2\n")], CancellationToken.None));
        var stale = Assert.Single(await remote.PushAsync(project, [Change("INFRA-002", 1, "other\n")], CancellationToken.None));
        var recreate = Assert.Single(await remote.PushAsync(project, [Change("INFRA-002", 0, "again\n")], CancellationToken.None));

        Assert.Equal((PushStatus.Accepted, 2L), (second.Status, second.Version));
        Assert.Equal((PushStatus.Conflict, 2L, "v2\n", Author, false), (stale.Status, stale.Version, stale.Content, stale.Author, stale.Deleted));
        Assert.Equal(ContentHash.Of("v2\n"), stale.ContentHash);
        Assert.Equal(PushStatus.Conflict, recreate.Status);
        Assert.Equal(2, (await PullAllAsync(remote, project)).Count);
    }

    [Fact]
    public async Task Same_id_in_two_kinds_is_two_artifacts()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;

        var results = await remote.PushAsync(project, [Change("INFRA-003", 0, "story\n"), Change("INFRA-003", 0, "plan\n", ArtifactKind.Plan)], CancellationToken.None);

        Assert.All(results, r => Assert.Equal((PushStatus.Accepted, 1L), (r.Status, r.Version)));
        Assert.Equal([ArtifactKind.Story, ArtifactKind.Plan], results.Select(r => r.Kind));
    }

    [Fact]
    public async Task Delete_leaves_a_versioned_tombstone()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-004", 0, "v1\n")], CancellationToken.None);

        var deleted = Assert.Single(await remote.PushAsync(project, [Change("INFRA-004", 1, "", deleted: true)], CancellationToken.None));
        var staleEdit = Assert.Single(await remote.PushAsync(project, [Change("INFRA-004", 1, "edit\n")], CancellationToken.None));
        var revived = Assert.Single(await remote.PushAsync(project, [Change("INFRA-004", 2, "back\n")], CancellationToken.None));

        Assert.Equal((PushStatus.Accepted, 2L), (deleted.Status, deleted.Version));
        Assert.Equal((PushStatus.Conflict, 2L, true), (staleEdit.Status, staleEdit.Version, staleEdit.Deleted));
        Assert.Equal((PushStatus.Accepted, 3L), (revived.Status, revived.Version));
        var log = await PullAllAsync(remote, project);
        Assert.Equal([false, true, false], log.Select(c => c.Deleted));
    }

    [Fact]
    public async Task Retrying_an_applied_change_id_returns_the_first_result_and_applies_nothing_twice()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var change = Change("INFRA-005", 0, "once\n");

        var first = Assert.Single(await remote.PushAsync(project, [change], CancellationToken.None));
        var edit = Assert.Single(await remote.PushAsync(project, [Change("INFRA-005", 1, "twice\n")], CancellationToken.None));
        var retry = Assert.Single(await remote.PushAsync(project, [change], CancellationToken.None));

        Assert.Equal(PushStatus.Accepted, retry.Status);
        Assert.Equal((first.Version, first.Sequence), (retry.Version, retry.Sequence));
        Assert.Equal(2, edit.Version);
        Assert.Equal(2, (await PullAllAsync(remote, project)).Count);
    }

    [Fact]
    public async Task A_conflict_does_not_stop_the_other_items_of_the_batch()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-006", 0, "v1\n")], CancellationToken.None);

        var results = await remote.PushAsync(project, [Change("INFRA-006", 0, "x\n"), Change("INFRA-007", 0, "y\n")], CancellationToken.None);

        Assert.Equal([PushStatus.Conflict, PushStatus.Accepted], results.Select(r => r.Status));
        Assert.Equal(["INFRA-006", "INFRA-007"], results.Select(r => r.Id));
    }

    [Fact]
    public async Task A_mixed_batch_answers_every_item_in_order_and_numbers_only_what_it_applied()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var applied = Change("MIX-001", 0, "one\n");
        var setup = await remote.PushAsync(project, [applied, Change("MIX-002", 0, "two\n"), Change("MIX-003", 0, "three\n")], CancellationToken.None);
        await remote.PushAsync(project, [Change("MIX-003", 1, "", deleted: true)], CancellationToken.None);

        // New, a retry of an applied change, an update, a stale edit of the retried artifact, an edit of a deletion.
        var results = await remote.PushAsync(project,
        [
            Change("MIX-004", 0, "four\n"), applied, Change("MIX-002", 1, "two, edited\n"), Change("MIX-001", 0, "stale\n"),
            Change("MIX-003", 1, "back\n"),
        ], CancellationToken.None);

        Assert.Equal(["MIX-004", "MIX-001", "MIX-002", "MIX-001", "MIX-003"], results.Select(r => r.Id));
        Assert.Equal(
            [PushStatus.Accepted, PushStatus.Accepted, PushStatus.Accepted, PushStatus.Conflict, PushStatus.Conflict],
            results.Select(r => r.Status));
        Assert.Equal([1L, 1L, 2L, 1L, 2L], results.Select(r => r.Version));
        // The retry answers with its first sequence; the new items take the next ones in item order.
        Assert.Equal(setup[0].Sequence, results[1].Sequence);
        Assert.Equal(results[0].Sequence + 1, results[2].Sequence);
        Assert.Equal((ContentHash.Of("four\n"), false), (results[0].ContentHash, results[0].Deleted));
        // Conflicts carry the head: its text, hash, author and deletion.
        Assert.Equal(("one\n", ContentHash.Of("one\n"), Author, false), (results[3].Content, results[3].ContentHash, results[3].Author, results[3].Deleted));
        Assert.Equal((true, ContentHash.Of("")), (results[4].Deleted, results[4].ContentHash));
        var log = await PullAllAsync(remote, project);
        Assert.Equal(["MIX-001", "MIX-002", "MIX-003", "MIX-003", "MIX-004", "MIX-002"], log.Select(c => c.Id));
        Assert.Equal("two, edited\n", log[^1].Content);
        Assert.Equal(log.Select(c => c.Sequence).Order(), log.Select(c => c.Sequence));
    }

    public static TheoryData<string, string> MalformedItems => new()
    {
        { "../etc/passwd", "ok\n" },
        { "/abs", "ok\n" },
        { "", "ok\n" },
        { "a/b", "ok\n" },
        { "..", "ok\n" },
        { "a..b", "ok\n" },
        { new string('a', 101), "ok\n" },
        { "INFRA-008", new string('x', RemoteSchema.MaxContentBytes + 1) },
        // Fewer characters than the limit but more UTF-8 bytes: the limit is on bytes.
        { "INFRA-008", new string('é', (RemoteSchema.MaxContentBytes / 2) + 1) },
    };

    [Theory]
    [MemberData(nameof(MalformedItems))]
    public async Task A_malformed_item_refuses_the_whole_batch_and_applies_nothing(string id, string content)
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;

        var error = await Assert.ThrowsAsync<RemoteException>(() =>
            remote.PushAsync(project, [Change("INFRA-009", 0, "fine\n"), Change(id, 0, content)], CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Empty(await PullAllAsync(remote, project));
    }

    [Fact]
    public async Task A_content_hash_that_does_not_match_the_content_is_refused()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var bad = Change("INFRA-010", 0, "real\n") with { ContentHash = ContentHash.Of("forged\n") };

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync(project, [bad], CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Empty(await PullAllAsync(remote, project));
    }

    [Fact]
    public async Task Pull_pages_across_boundaries_with_an_explicit_more_flag()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, 25).Select(i => Change($"PAGE-{i:000}", 0, $"content {i}\n")).ToList();
        await remote.PushAsync(project, batch, CancellationToken.None);

        var first = await remote.PullAsync(project, 0, 10, CancellationToken.None);
        var second = await remote.PullAsync(project, first.LastSequence(0), 10, CancellationToken.None);
        var third = await remote.PullAsync(project, second.LastSequence(0), 10, CancellationToken.None);
        var empty = await remote.PullAsync(project, third.LastSequence(0), 10, CancellationToken.None);

        Assert.Equal((10, true), (first.Changes.Count, first.More));
        Assert.Equal((10, true), (second.Changes.Count, second.More));
        Assert.Equal((5, false), (third.Changes.Count, third.More));
        Assert.Equal((0, false), (empty.Changes.Count, empty.More));
        var all = first.Changes.Concat(second.Changes).Concat(third.Changes).ToList();
        Assert.Equal(batch.Select(c => c.Id), all.Select(c => c.Id));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    [Fact]
    public async Task Pull_each_hands_over_the_page_in_order_and_leaves_the_callers_own_failure_as_it_is()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, 20).Select(i => Change($"EACH-{i:000}", 0, $"content {i}: é ✓ 🧪\n")).ToList();
        await remote.PushAsync(project, batch, CancellationToken.None);

        var page = await remote.PullAsync(project, 0, 10, CancellationToken.None);
        var handed = new List<RemoteChangeRecord>();
        var more = await remote.PullEachAsync(project, 0, 10, change =>
        {
            handed.Add(change);
            return Task.CompletedTask;
        }, CancellationToken.None);
        var last = new List<RemoteChangeRecord>();
        // Exactly full: the last page ends where the log does, and says so.
        var lastMore = await remote.PullEachAsync(project, handed[^1].Sequence, 10, change =>
        {
            last.Add(change);
            return Task.CompletedTask;
        }, CancellationToken.None);
        var failure = new InvalidOperationException("the caller's own failure");
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => remote.PullEachAsync(project, 0, 10, _ => throw failure, CancellationToken.None));
        var after = await remote.PullAsync(project, 0, RemoteSchema.MaxPageSize, CancellationToken.None);

        Assert.True(more);
        // The UTF-8 a transport may hand over with the text is the text's own, byte for byte.
        Assert.All(handed.Concat(page.Changes), c => Assert.True(c.Utf8 is null || c.Utf8.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(c.Content))));
        // Postgres reads the text as its bytes and decodes it once (the pull writes those bytes as they are).
        if (remote is AgentSync.Remote.Postgres.PostgresRemote)
            Assert.All(handed, c => Assert.NotNull(c.Utf8));
        Assert.Equal(batch.Select(c => c.Content).Take(10), handed.Select(c => c.Content));
        Assert.Equal(page.Changes.Select(c => c with { Utf8 = null }), handed.Select(c => c with { Utf8 = null }));
        Assert.False(lastMore);
        Assert.Equal(batch.Skip(10).Select(c => c.Id), last.Select(c => c.Id));
        Assert.Same(failure, thrown);
        // A page the caller broke off leaves the remote answering as before.
        Assert.Equal((20, false), (after.Changes.Count, after.More));
    }

    [Fact]
    public async Task A_caller_failure_early_in_a_long_page_stops_the_page_and_the_remote_answers_the_next_call_whole()
    {
        // Longer than any read-ahead of a transport: rows already read past the failure must not reach the caller,
        // and what is left of the page must not be left on the connection for the next call.
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, 300).Select(i => Change($"LONG-{i:000}", 0, $"long page {i}\n")).ToList();
        await remote.PushAsync(project, batch, CancellationToken.None);

        var seen = 0;
        var failure = new InvalidOperationException("stop at the second");
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => remote.PullEachAsync(project, 0, 1000, _ =>
            ++seen == 2 ? throw failure : Task.CompletedTask, CancellationToken.None));
        var again = new List<string>();
        var more = await remote.PullEachAsync(project, 0, 1000, change =>
        {
            again.Add(change.Id);
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Same(failure, thrown);
        Assert.Equal(2, seen);
        Assert.False(more);
        Assert.Equal(batch.Select(c => c.Id), again);
    }

    [Fact]
    public async Task Pull_never_returns_more_than_the_maximum_page()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var batch = Enumerable.Range(1, RemoteSchema.MaxPageSize + 5).Select(i => Change($"BIG-{i}", 0, $"{i}\n")).ToList();
        foreach (var chunk in batch.Chunk(500))
            await remote.PushAsync(project, chunk, CancellationToken.None);

        var page = await remote.PullAsync(project, 0, 100_000, CancellationToken.None);

        Assert.Equal((RemoteSchema.MaxPageSize, true), (page.Changes.Count, page.More));
        Assert.Equal(RemoteSchema.MaxPageSize + 5, (await PullAllAsync(remote, project)).Count);
    }

    [Fact]
    public async Task Projects_are_isolated()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        var other = NewProject();
        await remote.EnsureProjectAsync(other, CancellationToken.None);

        await remote.PushAsync(project, [Change("INFRA-011", 0, "mine\n")], CancellationToken.None);
        var there = Assert.Single(await remote.PushAsync(other, [Change("INFRA-011", 0, "theirs\n")], CancellationToken.None));

        Assert.Equal((PushStatus.Accepted, 1L), (there.Status, there.Version));
        Assert.Equal("mine\n", Assert.Single(await PullAllAsync(remote, project)).Content);
    }

    [Fact]
    public async Task Next_id_is_unique_under_concurrency_and_above_existing_ids_in_the_scope()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-041", 0, "x\n"), Change("INFRA-007", 0, "y\n", ArtifactKind.Plan), Change("WEB-900", 0, "z\n")], CancellationToken.None);

        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => remote.NextIdAsync(project, "INFRA", CancellationToken.None))));
        var web = await remote.NextIdAsync(project, "WEB", CancellationToken.None);
        var fresh = await remote.NextIdAsync(project, "MOBILE", CancellationToken.None);

        Assert.Equal(Enumerable.Range(42, 20).Select(i => (long)i), ids.Order());
        Assert.Equal(901, web);
        Assert.Equal(1, fresh);
    }

    [Fact]
    public async Task Log_lists_every_version_of_one_artifact_oldest_first()
    {
        var (remote, project) = await OpenProjectAsync();
        await using var _ = remote;
        await remote.PushAsync(project, [Change("INFRA-012", 0, "a\n"), Change("INFRA-013", 0, "other\n")], CancellationToken.None);
        await remote.PushAsync(project, [Change("INFRA-012", 1, "b\n")], CancellationToken.None);

        var log = await remote.LogAsync(project, "INFRA-012", ArtifactKind.Story, CancellationToken.None);

        Assert.Equal([1L, 2L], log.Select(c => c.Version));
        Assert.Equal(["a\n", "b\n"], log.Select(c => c.Content));
        Assert.All(log, c => Assert.Equal(Author, c.Author));
    }

    [Fact]
    public async Task Pushing_to_a_project_that_does_not_exist_is_refused()
    {
        var remote = await OpenRemoteAsync();
        await using var _ = remote;
        await remote.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync(NewProject(), [Change("X-1", 0, "x\n")], CancellationToken.None));

        Assert.Equal(RemoteErrorKind.NotFound, error.Kind);
    }

    [Theory]
    [InlineData(RemoteSchema.Version + 1)]
    [InlineData(RemoteSchema.Version - 1)]
    public async Task A_remote_schema_other_than_the_clients_stops_with_the_migration_to_apply(int remoteVersion)
    {
        await SetRemoteSchemaVersionAsync(remoteVersion);
        try
        {
            var remote = await OpenRemoteAsync();
            await using var _ = remote;

            var error = await Assert.ThrowsAsync<SyncException>(() => remote.ConnectAsync(CancellationToken.None));

            Assert.Equal(ExitCodes.Usage, error.ExitCode);
            Assert.Contains(remoteVersion > RemoteSchema.Version ? "upgrade agent" : "20261125000000_agent_sync.sql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await SetRemoteSchemaVersionAsync(RemoteSchema.Version);
        }
    }
}
