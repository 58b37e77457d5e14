using System.Text.Json;
using AgentSync.Tests.Support;
using AgentSync.Workspace;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Sync;

/// <summary>
/// A pull leaves its files to the kernel's writeback and records them with the boot they were written in. A crash is
/// simulated the way it shows afterwards: the rows name another boot, and files are empty, missing or old.
/// </summary>
public sealed class WritebackTests(FileRemoteTarget remote) : IClassFixture<FileRemoteTarget>
{
    private const string First = ".agent/cache/stories/INFRA/INFRA-001-first.md";
    private const string Second = ".agent/cache/stories/INFRA/INFRA-002-second.md";
    private const string Third = ".agent/cache/stories/INFRA/INFRA-003-third.md";

    [Fact]
    public async Task A_pull_records_its_files_with_this_boot_instead_of_flushing_them()
    {
        using var pair = await PairAsync();

        var rows = Writeback(pair.Bob);

        Assert.Equal([First, Second, Third], rows.Select(r => r.Path));
        Assert.All(rows, r => Assert.Equal(DurableWrites.BootId, r.Boot));
        // New files took the mtime their rows were written with: the next scan finds them unchanged without reading them.
        foreach (var path in new[] { First, Second, Third })
        {
            var info = new FileInfo(pair.Bob.Workspace.PathOf(path));
            Assert.Equal((info.Length, info.LastWriteTimeUtc.Ticks), FileStat(pair.Bob, path));
        }
    }

    [Fact]
    public async Task After_a_crash_files_cut_short_come_back_from_the_cache_and_edits_made_since_stay()
    {
        using var pair = await PairAsync();
        var (alice, bob) = (pair.Alice, pair.Bob);
        var written = new FileInfo(bob.Workspace.PathOf(First)).LastWriteTimeUtc;
        // What a power cut can leave: a file with its data lost (empty, older time), a file whose entry was lost.
        bob.Workspace.Write(First, "");
        File.SetLastWriteTimeUtc(bob.Workspace.PathOf(First), written.AddSeconds(-1));
        File.Delete(bob.Workspace.PathOf(Second));
        // And a file edited by hand after the machine came back: newer than the pull's write, so it is an edit.
        bob.Workspace.Write(Third, alice.Workspace.Read(Third) + "\nEdited after the reboot.\n");
        File.SetLastWriteTimeUtc(bob.Workspace.PathOf(Third), DateTime.UtcNow.AddSeconds(5));
        SetBoot(bob, "a-boot-before-the-crash");

        var push = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "push", "--json")).Out).RootElement;

        Assert.Equal(alice.Workspace.Read(First), bob.Workspace.Read(First));
        Assert.Equal(alice.Workspace.Read(Second), bob.Workspace.Read(Second));
        Assert.Equal(["INFRA-003"], push.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Empty(Writeback(bob));
        var status = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());
    }

    [Fact]
    public async Task Files_written_in_this_boot_are_flushed_and_forgotten_once_the_writeback_window_has_passed()
    {
        using var pair = await PairAsync();
        var bob = pair.Bob;
        Execute(bob, "UPDATE writeback SET at = '2000-01-01T00:00:00.0000000Z' WHERE path = $path", First);
        // Same boot and recent: nothing is lost, nothing to do yet.
        bob.Workspace.Write(Second, bob.Workspace.Read(Second) + "\nA local edit.\n");

        await bob.ExpectAsync(0, "sync", "push");

        Assert.Equal([Second, Third], Writeback(bob).Select(r => r.Path));
        Assert.Contains("A local edit.", bob.Workspace.Read(Second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_that_deletes_a_file_is_flushed_and_leaves_nothing_to_the_writeback()
    {
        using var pair = await PairAsync();
        var (alice, bob) = (pair.Alice, pair.Bob);
        File.Delete(alice.Workspace.PathOf(First));
        await alice.ExpectAsync(0, "sync", "push");

        await bob.ExpectAsync(0, "sync", "pull");

        Assert.False(bob.Workspace.Exists(First));
        Assert.Empty(Writeback(bob));
    }

    [Fact]
    public async Task A_page_replaces_unedited_files_in_its_order_and_records_what_ends_up_on_disk()
    {
        using var pair = await PairAsync();
        var (alice, bob) = (pair.Alice, pair.Bob);
        // One page for Bob: First changed twice, Second once, Third changed and then deleted.
        alice.Workspace.Write(First, alice.Workspace.Read(First) + "\nRound one.\n");
        alice.Workspace.Write(Third, alice.Workspace.Read(Third) + "\nSoon gone.\n");
        await alice.ExpectAsync(0, "sync", "push");
        alice.Workspace.Write(First, alice.Workspace.Read(First) + "\nRound two.\n");
        alice.Workspace.Write(Second, alice.Workspace.Read(Second) + "\nOnce.\n");
        File.Delete(alice.Workspace.PathOf(Third));
        await alice.ExpectAsync(0, "sync", "push");

        await bob.ExpectAsync(0, "sync", "pull");

        Assert.Equal(alice.Workspace.Read(First), bob.Workspace.Read(First));
        Assert.Equal(alice.Workspace.Read(Second), bob.Workspace.Read(Second));
        Assert.False(bob.Workspace.Exists(Third));
        // Each row holds the size and time of the file as it ended up, so the next scan need not read it again.
        foreach (var path in new[] { First, Second })
        {
            var info = new FileInfo(bob.Workspace.PathOf(path));
            Assert.Equal((info.Length, info.LastWriteTimeUtc.Ticks), FileStat(bob, path));
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(bob.Workspace.PathOf(First))!, "*.tmp"));
        var status = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "status", "--json")).Out).RootElement;
        Assert.Equal(0, status.GetProperty("local_changes").GetArrayLength());
    }

    private async Task<Pair> PairAsync()
    {
        var project = "wb-" + Guid.NewGuid().ToString("N")[..10];
        var alice = new Developer("alice", remote, project);
        var bob = new Developer("bob", remote, project);
        await alice.InitAsync();
        await bob.InitAsync();
        foreach (var title in new[] { "First", "Second", "Third" })
            await alice.ExpectAsync(0, "new-story", "INFRA", title);
        await bob.ExpectAsync(0, "sync", "pull");
        return new Pair(alice, bob);
    }

    private static List<(string Path, string Boot)> Writeback(Developer developer)
    {
        using var connection = Open(developer);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, boot_id FROM writeback ORDER BY path";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    private static (long Size, long Mtime) FileStat(Developer developer, string path)
    {
        using var connection = Open(developer);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_size, file_mtime FROM artifacts WHERE path = $path";
        command.Parameters.AddWithValue("$path", path);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row for {path}");
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static void SetBoot(Developer developer, string boot) => Execute(developer, "UPDATE writeback SET boot_id = $path", boot);

    private static void Execute(Developer developer, string sql, string path)
    {
        using var connection = Open(developer);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$path", path);
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(Developer developer)
    {
        var connection = new SqliteConnection($"Data Source={developer.Workspace.PathOf(".agent/cache/agent.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private sealed record Pair(Developer Alice, Developer Bob) : IDisposable
    {
        public void Dispose()
        {
            Alice.Dispose();
            Bob.Dispose();
        }
    }
}
