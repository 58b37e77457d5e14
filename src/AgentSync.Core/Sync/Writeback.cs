using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// A pull page's files are left to the kernel's writeback, as git leaves the files of a checkout, instead of a flush of
/// the whole file system before the page commits (a third of a first pull of 1,000 artifacts). The page's rows record
/// which files, and in which boot. A kill changes nothing: the kernel still holds the data. A crash or power cut can
/// lose a file's data while its row, committed, says it is there; the next recording of the tree finds the boot changed
/// and puts back, from the cache, every such file that nobody has touched since. Until a file is known to be on disk
/// (a few minutes later, when the kernel has long written it), its row stays.
/// </summary>
internal static class Writeback
{
    /// <summary>
    /// By then the kernel has written a file back on its own (dirty data expires after 30 s by default), so the flush
    /// that makes sure costs next to nothing.
    /// </summary>
    internal static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>Just before a page commits: records its files as left to the writeback, or flushes them.</summary>
    public static async Task SettleBatchAsync(SyncContext context, DurableWrites batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0 && !batch.FlushRequired)
            return;
        var relative = batch.Paths.Select(context.Workspace.RelativePath).ToList();
        if (!batch.FlushRequired && DurableWrites.BootId is { } boot && relative.All(p => p is not null))
        {
            await context.Store.AddWritebackAsync(relative!, boot, DateTimeOffset.UtcNow, cancellationToken);
            batch.Clear();
            return;
        }

        // Something here could not be put back from the cache (a deletion, conflict markers): flush. A flush of the whole
        // file system also covers every file left to the writeback before.
        if (batch.Flush() == DurableWrites.Method.FileSystem)
            await context.Store.ClearWritebackAsync(cancellationToken);
    }

    /// <summary>
    /// Before the tree is recorded: files written in an earlier boot are checked against their rows and put back when a
    /// crash cut them short; files old enough are flushed and forgotten. Returns how many files were put back.
    /// </summary>
    public static async Task<int> SettleAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var boot = DurableWrites.BootId;
        var due = await store.WritebackDueAsync(boot, DateTimeOffset.UtcNow - Window, cancellationToken);
        if (due.Count == 0)
            return 0;

        // This boot's files: one flush for all of them (next to free: the kernel has written them back by now).
        var flush = new DurableWrites(context.Workspace.DatabasePath);
        foreach (var entry in due.Where(e => e.BootId == boot))
            flush.Add(context.Workspace.FullPath(entry.Path));
        flush.Flush();

        var restored = 0;
        await using var scope = await store.BeginWriteAsync(cancellationToken);
        foreach (var entry in due)
        {
            if (entry.BootId != boot && await RestoreAsync(context, entry.Path, context.Workspace.FullPath(entry.Path), cancellationToken))
                restored++;
            await store.RemoveWritebackAsync(entry.Path, cancellationToken);
        }

        await scope.CommitAsync(cancellationToken);
        if (restored > 0 && Diagnostics.Operation.Current is { } operation)
            operation.Counts["restored_after_crash"] = restored;
        return restored;
    }

    /// <summary>
    /// Puts the recorded text back when the file is missing or differs and was not touched after the crash: the data a
    /// crash loses leaves the file older than the write its row records, while an edit since makes it newer.
    /// </summary>
    private static async Task<bool> RestoreAsync(SyncContext context, string path, string full, CancellationToken cancellationToken)
    {
        var store = context.Store;
        if (await store.GetByPathAsync(path, cancellationToken) is not { Conflicted: false, Deleted: false } row
            || await store.GetBlobAsync(row.ContentHash, cancellationToken) is not { } content)
            return false;
        var bytes = ArtifactText.Encode(content);
        var info = new FileInfo(full);
        if (info.Exists)
        {
            if (ArtifactText.Holds(full, bytes))
                return false;
            if (row.FileMtime is { } written && info.LastWriteTimeUtc.Ticks > written)
                return false;
        }

        await AtomicFile.WriteAsync(full, bytes, cancellationToken);
        if (WorkingTree.Stat(context.Workspace, path) is { } stat)
            await store.SetFileStatAsync(row.Id, row.Kind, stat.Size, stat.Mtime, cancellationToken);
        return true;
    }
}
