using System.Runtime.InteropServices;

namespace AgentSync.Workspace;

/// <summary>
/// Files written inside one cache transaction (a pull page) reach the disk together, just before the rows that describe
/// them commit: one <c>syncfs</c> on Linux instead of one fsync per file. A first pull of 1,000 artifacts spent most of
/// its time in 1,000 fsyncs (each a journal commit); git's batch mode (core.fsyncMethod=batch) pays one for the same
/// reason. A kill changes nothing (the page cache survives it); after a power cut before the commit, a file of the
/// page may be empty, but the cursor did not move, so the page is pulled again and the file compared, never trusted.
/// </summary>
public sealed partial class DurableWrites
{
    private readonly List<string> _paths = [];

    public int Count => _paths.Count;

    public void Add(string fullPath) => _paths.Add(fullPath);

    /// <summary>How the last flush reached the disk.</summary>
    public enum Method
    {
        Nothing,
        FileSystem,
        EachFile,
    }

    /// <summary>Flushes every file added since the last flush (and, on Linux, their directories' renames).</summary>
    public Method Flush()
    {
        if (_paths.Count == 0)
            return Method.Nothing;
        var method = OperatingSystem.IsLinux() && SyncFileSystem() ? Method.FileSystem : Method.EachFile;
        if (method == Method.EachFile)
        {
            foreach (var path in _paths)
                FlushOne(path);
        }

        _paths.Clear();
        return method;
    }

    /// <summary>One syncfs through any file of the batch: it flushes the whole file system the workspace is on.</summary>
    private bool SyncFileSystem()
    {
        for (var i = _paths.Count - 1; i >= 0; i--)
        {
            try
            {
                using var handle = File.OpenHandle(_paths[i], FileMode.Open, FileAccess.Read);
                return syncfs((int)handle.DangerousGetHandle()) == 0;
            }
            catch (IOException)
            {
                // Deleted or renamed since it was written: try another one.
            }
        }

        return false;
    }

    private static void FlushOne(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            stream.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
            // Gone since it was written (a later change of the same page removed it): nothing to make durable.
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);
}
