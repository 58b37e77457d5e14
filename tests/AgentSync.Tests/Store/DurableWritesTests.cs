using AgentSync.Store;
using AgentSync.Workspace;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Store;

/// <summary>Files of one transaction reach the disk together, before its rows commit, and never after a rollback.</summary>
public sealed class DurableWritesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agent-sync-durable-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void One_syncfs_covers_a_batch_on_linux_even_when_some_files_are_gone()
    {
        // The anchor (the cache file, normally) is missing here too: a file of the batch must carry the syncfs.
        var writes = new DurableWrites(Path.Combine(_directory, "no-such-anchor.db"));
        Assert.Equal(DurableWrites.Method.Nothing, writes.Flush());
        for (var i = 0; i < 5; i++)
        {
            var path = Path.Combine(_directory, $"f{i}.md");
            File.WriteAllText(path, $"file {i}\n");
            writes.Add(path);
        }

        // The last one (the handle syncfs goes through first) is gone: another file of the batch must be used.
        File.Delete(Path.Combine(_directory, "f4.md"));
        var expected = OperatingSystem.IsLinux() ? DurableWrites.Method.FileSystem : DurableWrites.Method.EachFile;
        Assert.Equal(expected, writes.Flush());
        Assert.Equal(0, writes.Count);
        Assert.Equal("file 0\n", File.ReadAllText(Path.Combine(_directory, "f0.md")));
    }

    [Fact]
    public async Task Work_hooked_before_a_commit_runs_before_it_and_never_on_rollback()
    {
        var databasePath = Path.Combine(_directory, "agent.db");
        await using var store = await LocalStore.OpenAsync(databasePath, CancellationToken.None);
        var ran = new List<string>();

        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            Assert.Same(scope, store.CurrentWrite);
            await store.SetCursorAsync("remote", "p", 7, CancellationToken.None);
            scope.BeforeCommit(_ =>
            {
                ran.Add("rolled back");
                return Task.CompletedTask;
            });
        }

        Assert.Empty(ran);
        Assert.Null(store.CurrentWrite);
        Assert.Equal(0, await store.GetCursorAsync("remote", "p", CancellationToken.None));

        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            await store.SetCursorAsync("remote", "p", 8, CancellationToken.None);
            scope.BeforeCommit(_ =>
            {
                ran.Add("committed");
                return Task.CompletedTask;
            });
            await scope.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(["committed"], ran);
        Assert.Equal(8, await store.GetCursorAsync("remote", "p", CancellationToken.None));

        // A flush that fails keeps the rows out: they would describe files that may not be on disk.
        await using (var scope = await store.BeginWriteAsync(CancellationToken.None))
        {
            await store.SetCursorAsync("remote", "p", 9, CancellationToken.None);
            scope.BeforeCommit(_ => throw new IOException("disk full"));
            await Assert.ThrowsAsync<IOException>(() => scope.CommitAsync(CancellationToken.None));
        }

        Assert.Null(store.CurrentWrite);
        Assert.Equal(8, await store.GetCursorAsync("remote", "p", CancellationToken.None));
    }
}
