using System.Runtime.InteropServices;

namespace AgentSync.Workspace;

/// <summary>
/// Files written inside one cache transaction (a pull page). Either they reach the disk together just before the rows
/// that describe them commit (one <c>syncfs</c> on Linux instead of one fsync per file), or, where the kernel names its
/// boot, they are left to its writeback like git leaves its checkouts, and the rows say so (Sync/Writeback.cs): a kill
/// changes nothing (the page cache survives it), and after a crash the next run finds the boot changed and repairs
/// whatever the crash cut short from the cache.
/// </summary>
public sealed partial class DurableWrites(string anchorPath)
{
    private static readonly Lazy<string?> CurrentBoot = new(ReadBootId);
    private readonly List<string> _paths = [];

    public int Count => _paths.Count;

    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Something in the batch cannot be repaired from the cache after a crash (a deletion, conflict markers).</summary>
    public bool FlushRequired { get; private set; }

    /// <summary>The kernel's id of this boot, or null where there is none to read (then every batch is flushed).</summary>
    public static string? BootId => CurrentBoot.Value;

    public void Add(string fullPath) => _paths.Add(fullPath);

    public void RequireFlush() => FlushRequired = true;

    /// <summary>How the last flush reached the disk.</summary>
    public enum Method
    {
        Nothing,
        FileSystem,
        EachFile,
    }

    /// <summary>Flushes every file added since the last flush (and, on Linux, their directories' renames and unlinks).</summary>
    public Method Flush()
    {
        if (_paths.Count == 0 && !FlushRequired)
            return Method.Nothing;
        var method = OperatingSystem.IsLinux() && SyncFileSystem() ? Method.FileSystem : Method.EachFile;
        if (method == Method.EachFile)
        {
            foreach (var path in _paths)
                FlushOne(path);
        }

        Clear();
        return method;
    }

    /// <summary>Forgets the batch without flushing it (its files were recorded as left to the writeback).</summary>
    public void Clear()
    {
        _paths.Clear();
        FlushRequired = false;
    }

    /// <summary>One syncfs through a file of the batch, else the anchor: it flushes the whole file system they are on.</summary>
    private bool SyncFileSystem()
    {
        for (var i = _paths.Count; i >= 0; i--)
        {
            try
            {
                using var handle = File.OpenHandle(i == _paths.Count ? anchorPath : _paths[i], FileMode.Open, FileAccess.Read);
                return syncfs((int)handle.DangerousGetHandle()) == 0;
            }
            catch (IOException)
            {
                // Deleted or renamed since it was written: try another one.
            }
        }

        return false;
    }

    /// <summary>Flushes one file's data and metadata; a file gone since is nothing to make durable.</summary>
    private static void FlushOne(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            stream.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string? ReadBootId()
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() is { Length: > 0 } id ? id : null : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);
}
