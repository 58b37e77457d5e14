using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Store;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Store;

public sealed class LocalStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agent-sync-tests", "store-" + Guid.NewGuid().ToString("N")[..8]);

    private string DatabasePath => Path.Combine(_directory, "agent.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private static StoredArtifact Artifact(string id, string hash, string? state = "DRAFT", string? path = null) => new(
        id, ArtifactKind.Story, "INFRA", "Title " + id, state, path ?? $".agent/cache/stories/INFRA/{id}.md", hash, 0, null, "dev@example.com",
        DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, false, false, null);

    [Fact]
    public async Task A_command_writing_thousands_of_pages_leaves_them_in_the_wal_without_a_checkpoint()
    {
        // A first push of 1,000 artifacts writes ~1,500 pages; SQLite's default threshold (1,000) checkpointed in its
        // middle, fsyncs included. Here ~2,000 pages go in one command: the database file must not have taken them yet.
        await using (var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None))
        {
            await using var scope = await store.BeginWriteAsync(CancellationToken.None);
            for (var i = 0; i < 2000; i++)
                await store.PutBlobAsync($"{i}\n" + new string('x', 4000), CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        Assert.True(new FileInfo(DatabasePath + "-wal").Length > 2000L * 4096, "the pages are in the WAL");
        Assert.True(new FileInfo(DatabasePath).Length < 1024 * 1024, $"the database file holds {new FileInfo(DatabasePath).Length} bytes: a checkpoint ran");
    }

    [Fact]
    public async Task Artifacts_are_created_read_updated_listed_and_removed()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            var hash = await store.PutBlobAsync("v1\n", CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-001", hash), CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-002", hash, "COMMITTED"), CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        var read = await store.GetAsync("INFRA-001", ArtifactKind.Story, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal("v1\n", await store.GetBlobAsync(read.ContentHash, CancellationToken.None));
        Assert.Equal(["INFRA-002"], (await store.ListAsync(ArtifactKind.Story, "committed", CancellationToken.None)).Select(a => a.Id));
        Assert.Null(await store.GetAsync("INFRA-001", ArtifactKind.Plan, CancellationToken.None));

        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            await store.PutAsync(read with { State = "APPROVED", BaseVersion = 3 }, CancellationToken.None);
            await store.RemoveAsync("INFRA-002", ArtifactKind.Story, CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        var all = await store.ListAsync(null, null, CancellationToken.None);
        Assert.Equal(("INFRA-001", "APPROVED", 3L), (Assert.Single(all).Id, all[0].State, all[0].BaseVersion));
        Assert.Equal(1, await store.MaxNumberAsync("INFRA", CancellationToken.None));
    }

    [Fact]
    public async Task File_stats_are_corrected_only_on_rows_that_still_describe_those_files_with_the_mtime_they_were_given()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            var hash = await store.PutBlobAsync("v1\n", CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-001", hash) with { FileSize = 3, FileMtime = 10 }, CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-002", hash) with { FileSize = 3, FileMtime = 20 }, CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-003", hash) with { Conflicted = true, FileSize = 3, FileMtime = 30 }, CancellationToken.None);
            await store.PutAsync(Artifact("INFRA-004", hash) with { FileSize = 7, FileMtime = 70 }, CancellationToken.None);
            await store.CorrectFileStatsAsync(
            [
                new("INFRA-001", ArtifactKind.Story, ".agent/cache/stories/INFRA/INFRA-001.md", 10, 11, 638_999_999_999_999_999),
                new("INFRA-002", ArtifactKind.Story, ".agent/cache/stories/INFRA/moved.md", 20, 12, 120),
                new("INFRA-003", ArtifactKind.Story, ".agent/cache/stories/INFRA/INFRA-003.md", 30, 13, 130),
                // Given 60, but the row was written again since (70): that later write keeps its own.
                new("INFRA-004", ArtifactKind.Story, ".agent/cache/stories/INFRA/INFRA-004.md", 60, 14, 140),
                new("INFRA-005", ArtifactKind.Story, ".agent/cache/stories/INFRA/INFRA-005.md", 50, 15, 150),
            ], CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        async Task<(long?, long?)> Stat(string id) =>
            await store.GetAsync(id, ArtifactKind.Story, CancellationToken.None) is { } a ? (a.FileSize, a.FileMtime) : default;
        Assert.Equal((11L, 638_999_999_999_999_999L), await Stat("INFRA-001"));
        Assert.Equal((3L, 20L), await Stat("INFRA-002"));
        Assert.Equal((3L, 30L), await Stat("INFRA-003"));
        Assert.Equal((7L, 70L), await Stat("INFRA-004"));
        Assert.Null(await store.GetAsync("INFRA-005", ArtifactKind.Story, CancellationToken.None));
    }

    [Fact]
    public async Task Writeback_rows_of_a_page_are_added_in_one_statement_and_replace_older_ones()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        var then = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            await store.AddWritebackAsync(["a.md", "b.md"], "boot-1", then, CancellationToken.None);
            await store.AddWritebackAsync(["b.md", "c 'quoted\".md"], "boot-2", then.AddMinutes(1), CancellationToken.None);
            await store.AddWritebackAsync([], "boot-3", then, CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        var due = await store.WritebackDueAsync(null, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal([("a.md", "boot-1"), ("b.md", "boot-2"), ("c 'quoted\".md", "boot-2")], due.Select(e => (e.Path, e.BootId)));
    }

    [Fact]
    public async Task A_write_scope_disposed_without_commit_rolls_back()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            await store.PutAsync(Artifact("INFRA-009", "h"), CancellationToken.None);
        }

        Assert.Empty(await store.ListAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Blobs_are_content_addressed()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using var scope = await store.BeginWriteAsync(CancellationToken.None);

        var first = await store.PutBlobAsync("same\r\n", CancellationToken.None);
        var second = await store.PutBlobAsync("same\r\n", CancellationToken.None);
        var other = await store.PutBlobAsync("same\n", CancellationToken.None);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(ContentHash.Of("same\r\n"), first);
    }

    [Fact]
    public async Task Text_comes_back_as_written_empty_long_and_astral_alike_and_null_stays_null()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using var scope = await store.BeginWriteAsync(CancellationToken.None);
        var texts = new[] { "", "x", new string('é', 400) + "\U0001F600", new string('a', 100_000) };

        foreach (var text in texts)
        {
            Assert.Equal(text, await store.GetBlobAsync(await store.PutBlobAsync(text, CancellationToken.None), CancellationToken.None));
            var bytes = System.Text.Encoding.UTF8.GetBytes(text + "!");
            var hash = await store.PutBlobAsync(bytes, CancellationToken.None);
            Assert.Equal(ContentHash.Of(text + "!"), hash);
            Assert.Equal(text + "!", await store.GetBlobAsync(hash, CancellationToken.None));
        }

        await store.PutAsync(Artifact("INFRA-900", ContentHash.Of("")) with { Title = "", State = null, Author = "" }, CancellationToken.None);
        var stored = await store.GetAsync("INFRA-900", ArtifactKind.Story, CancellationToken.None);
        Assert.Equal(("", (string?)null, (string?)""), (stored!.Title, stored.State, stored.Author));
        await store.EnqueueAsync(new OutboxEntry(Guid.NewGuid(), "INFRA-900", ArtifactKind.Story, 0, ContentHash.Of(""), false, "", "", DateTimeOffset.UtcNow, 0, null, false), CancellationToken.None);
        var queued = Assert.Single(await store.OutboxAsync(CancellationToken.None));
        Assert.Equal(("", (string?)""), (queued.Author, queued.Description));
    }

    public static TheoryData<int> OlderVersions()
    {
        var data = new TheoryData<int>();
        for (var version = 0; version < LocalStore.LatestVersion; version++)
            data.Add(version);
        return data;
    }

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task Every_older_schema_upgrades_to_the_latest_and_keeps_its_data(int from)
    {
        await using (var old = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None, migrateTo: from))
        {
            Assert.Equal(from, await old.GetVersionAsync(CancellationToken.None));
            if (from >= 1)
            {
                // Written with plain SQL of that version's shape, as an older agent would have.
                using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
                connection.Open();
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO blobs (hash, content) VALUES ('h1', 'old content'); INSERT INTO artifacts (id, kind, scope, title, state, path, content_hash, base_version, created_at, updated_at) VALUES ('OLD-001', 'story', 'OLD', 'Old', 'DRAFT', 'p/OLD-001.md', 'h1', 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";
                insert.ExecuteNonQuery();
            }
        }

        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);

        Assert.Equal(LocalStore.LatestVersion, await store.GetVersionAsync(CancellationToken.None));
        if (from >= 1)
        {
            var kept = await store.GetAsync("OLD-001", ArtifactKind.Story, CancellationToken.None);
            Assert.NotNull(kept);
            Assert.Equal((2L, false, false, "old content"), (kept.BaseVersion, kept.Conflicted, kept.Deleted, await store.GetBlobAsync(kept.ContentHash, CancellationToken.None)));
        }

        // The upgraded file accepts everything the latest schema writes.
        await using var scope = await store.BeginWriteAsync(CancellationToken.None);
        await store.EnqueueAsync(new OutboxEntry(Guid.NewGuid(), "OLD-001", ArtifactKind.Story, 2, "h1", false, "a@example.com", null, DateTimeOffset.UtcNow, 0, null, false), CancellationToken.None);
        await store.SetCursorAsync("file:x", "p", 5, CancellationToken.None);
        await store.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, "a@example.com", "push", "ok", "{}", null), CancellationToken.None);
        await scope.CommitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_cache_from_a_newer_agent_is_refused()
    {
        using (var connection = new SqliteConnection($"Data Source={PrepareDirectory()};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {LocalStore.LatestVersion + 1}";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<SyncException>(() => LocalStore.OpenAsync(DatabasePath, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("upgrade agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gets_a_clear_message()
    {
        File.WriteAllText(PrepareDirectory(), "this is not sqlite, just text that is long enough to have a header...............");

        var error = await Assert.ThrowsAsync<SyncException>(() => LocalStore.OpenAsync(DatabasePath, CancellationToken.None));

        Assert.Contains("not a valid agent-sync cache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writer_that_waits_too_long_gets_a_clear_message()
    {
        var previous = LocalStore.BusyTimeout;
        LocalStore.BusyTimeout = TimeSpan.FromSeconds(1);
        try
        {
            await using var holder = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
            await using var waiter = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
            await using var held = await holder.BeginWriteAsync(CancellationToken.None);

            var error = await Assert.ThrowsAsync<SyncException>(() => waiter.BeginWriteAsync(CancellationToken.None));

            Assert.Equal(ExitCodes.Usage, error.ExitCode);
            Assert.Contains("another agent process", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            LocalStore.BusyTimeout = previous;
        }
    }

    [Fact]
    public async Task The_cache_uses_wal()
    {
        await using var store = await LocalStore.OpenAsync(DatabasePath, CancellationToken.None);
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", command.ExecuteScalar());
    }

    private string PrepareDirectory()
    {
        Directory.CreateDirectory(_directory);
        return DatabasePath;
    }
}
