using AgentSync.Artifacts;
using AgentSync.Sync;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Sync;

/// <summary>The thread that writes a pull page's files: in order, new ones in place, replaced ones atomically.</summary>
public sealed class PageFilesTests
{
    [Fact]
    public async Task A_folder_missing_when_first_seen_holds_only_the_pages_own_files()
    {
        using var workspace = new TempWorkspace();
        var folder = workspace.PathOf(".agent/cache/stories/NEW");
        var first = Path.Combine(folder, "NEW-001.md");
        var files = new PageFiles();

        var given = new DateTime(2026, 11, 26, 8, 30, 0, DateTimeKind.Utc).AddTicks(1234567).Ticks;
        Assert.True(files.Absent(first));
        files.Enqueue(first, "# NEW-001: One\n"u8.ToArray(), "NEW-001", ArtifactKind.Story, replace: false, given);
        Assert.False(files.Absent(first));
        Assert.True(files.Absent(Path.Combine(folder, "NEW-002.md")));
        var written = await files.FinishAsync();

        Assert.Equal("# NEW-001: One\n", File.ReadAllText(first));
        Assert.Equal(new FileInfo(first).Length, Assert.Single(written).Size);
        // The file has the mtime its row was given, to the tick: the row needs no correction.
        Assert.Equal(given, File.GetLastWriteTimeUtc(first).Ticks);
        Assert.True(written[0].AsGiven);
    }

    [Fact]
    public async Task A_folder_that_exists_is_asked_file_by_file_and_a_replacement_keeps_a_file_that_already_holds_the_text()
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".agent/cache/stories/OLD/OLD-001.md", "# OLD-001: Same\n");
        workspace.Write(".agent/cache/stories/OLD/OLD-002.md", "# OLD-002: Before\n");
        var same = workspace.PathOf(".agent/cache/stories/OLD/OLD-001.md");
        var changed = workspace.PathOf(".agent/cache/stories/OLD/OLD-002.md");
        var before = File.GetLastWriteTimeUtc(same);
        File.SetLastWriteTimeUtc(same, before.AddMinutes(-5));
        var files = new PageFiles();

        Assert.False(files.Absent(same));
        Assert.True(files.Absent(workspace.PathOf(".agent/cache/stories/OLD/OLD-003.md")));
        var given = DateTime.UtcNow.AddSeconds(-1).Ticks;
        files.Enqueue(same, "# OLD-001: Same\n"u8.ToArray(), "OLD-001", ArtifactKind.Story, replace: true, given);
        files.Enqueue(changed, "# OLD-002: After\n"u8.ToArray(), "OLD-002", ArtifactKind.Story, replace: true, given);
        var written = await files.FinishAsync();

        Assert.Equal(before.AddMinutes(-5), File.GetLastWriteTimeUtc(same));
        Assert.Equal("# OLD-002: After\n", File.ReadAllText(changed));
        Assert.Equal([same, changed], written.Select(w => w.FullPath));
        // The file left as it was keeps its mtime, so its row is corrected; the replaced one took the given mtime.
        Assert.Equal([(before.AddMinutes(-5).Ticks, false), (given, true)], written.Select(w => (w.Mtime, w.AsGiven)));
        Assert.Equal(given, File.GetLastWriteTimeUtc(changed).Ticks);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(same)!, "*.tmp"));
    }
}
