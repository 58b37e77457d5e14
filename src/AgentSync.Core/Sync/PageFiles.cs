using System.Threading.Channels;
using AgentSync.Artifacts;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// The files of a pull page, written on another thread while this one writes the page's rows: the file system's share
/// (an inode and a directory entry per file, a rename per replaced one) and SQLite's overlap on two cores instead of
/// adding up. One worker writes them in order: a new file in place (nothing is there to keep intact; see Reconciler
/// for a file cut short), a fast-forwarded one through a temporary file and a rename, so a kill leaves the old text or
/// the new one, never a mix, and not at all when the file holds the new text already. A look at a path still queued
/// waits for the queue first (<see cref="SettleAsync"/>), and the page waits for all of them before it commits
/// (<see cref="FinishAsync"/>). Each file is given the mtime its row was written with (<see cref="Enqueue"/>), so the
/// row already holds the stat the next scan compares; only a file that could not take it is reported for its row to
/// be corrected.
/// </summary>
internal sealed class PageFiles
{
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _foldersMissing = new(StringComparer.Ordinal);
    private readonly List<Written> _written = [];
    private Exception? _failure;
    private bool _started;

    /// <summary>A file written, with what the scan will compare it by, and the mtime its row was given.</summary>
    public readonly record struct Written(string Id, ArtifactKind Kind, string FullPath, long Size, long Mtime, long Given)
    {
        /// <summary>The file has the stat its row holds: nothing to correct.</summary>
        public bool AsGiven => Mtime == Given;
    }

    /// <summary>Files go to the worker in groups: one hand-over per file woke a pool thread a thousand times a page,
    /// and the waking and spinning cost more than the files.</summary>
    private const int GroupSize = 64;

    private List<Queued>? _group;

    private readonly record struct Queued(string FullPath, byte[] Bytes, string Id, ArtifactKind Kind, bool Replace, long Mtime);

    private sealed record Item(List<Queued>? Files, TaskCompletionSource? Reached);

    /// <param name="replace">A file is there (the artifact's own, unedited): replace it atomically. Otherwise none is, and
    /// the new file is created in place.</param>
    /// <param name="mtime">The mtime (UTC ticks) the file gets once written, as its row records it. Reading each file's
    /// stat back and updating its row before the commit was ~5 ms of a page of 1,000 on the path every pull waits for;
    /// a time a little before the write is as good as the write's own for the scan, which compares equality, and an
    /// edit after the write still gets a later one.</param>
    public void Enqueue(string fullPath, byte[] bytes, string id, ArtifactKind kind, bool replace, long mtime)
    {
        // The worker starts with the first file: most write transactions (a push, a pull with nothing new) write none.
        if (!_started)
        {
            _started = true;
            _ = Task.Run(WorkAsync);
        }

        _pending.Add(fullPath);
        _queued.Add(fullPath);
        (_group ??= new List<Queued>(GroupSize)).Add(new Queued(fullPath, bytes, id, kind, replace, mtime));
        if (_group.Count == GroupSize)
            HandOver();
    }

    private void HandOver()
    {
        if (_group is not { Count: > 0 })
            return;
        _queue.Writer.TryWrite(new Item(_group, null));
        _group = null;
    }

    /// <summary>
    /// Whether no file is at <paramref name="fullPath"/>. A folder that did not exist when this page first looked into it
    /// holds only what this page put there: no look at the disk for each new file of a first pull into a new folder
    /// (a failed stat per file was a tenth of such a pull's work). Anything that appears there behind the page's back
    /// makes the create (exclusive) fail, and the page roll back, instead of being overwritten.
    /// </summary>
    public bool Absent(string fullPath)
    {
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!_foldersMissing.TryGetValue(folder, out var missing))
            _foldersMissing[folder] = missing = !Directory.Exists(folder);
        return missing ? !_queued.Contains(fullPath) : !File.Exists(fullPath);
    }

    /// <summary>Waits for the queue when <paramref name="fullPath"/> is in it, so the caller sees the file as written.</summary>
    public Task SettleAsync(string fullPath) => _pending.Contains(fullPath) ? DrainAsync() : Task.CompletedTask;

    /// <summary>Waits for every file queued and hands over what was written (<see cref="Written.AsGiven"/>: whether its
    /// row needs correcting); the first failure is thrown here. Nothing may be queued after it.</summary>
    public async Task<IReadOnlyList<Written>> FinishAsync()
    {
        await DrainAsync();
        _queue.Writer.TryComplete();
        return _written;
    }

    private async Task DrainAsync()
    {
        if (!_started)
            return;
        HandOver();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Item(null, reached));
        await reached.Task;
        _pending.Clear();
    }

    private async Task WorkAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            if (item.Reached is { } reached)
            {
                if (_failure is null)
                    reached.SetResult();
                else
                    reached.SetException(_failure);
                continue;
            }

            foreach (var file in item.Files!)
            {
                // After a failure the page rolls back: create nothing more for it.
                if (_failure is not null)
                    break;
                try
                {
                    _written.Add(file.Replace ? Replace(file) : Create(file));
                }
#pragma warning disable CA1031 // Handed to the page's thread at its next wait, which rolls the page back.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _failure = e;
                }
            }
        }
    }

    private Written Create(Queued file)
    {
        var directory = Path.GetDirectoryName(file.FullPath)!;
        if (_directories.Add(directory))
            Directory.CreateDirectory(directory);
        using var handle = File.OpenHandle(file.FullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        RandomAccess.Write(handle, file.Bytes, 0);
        GiveMtime(() => File.SetLastWriteTimeUtc(handle, Utc(file.Mtime)));
        return new Written(file.Id, file.Kind, file.FullPath, file.Bytes.Length, File.GetLastWriteTimeUtc(handle).Ticks, file.Mtime);
    }

    private static Written Replace(Queued file)
    {
        // Its data reaches the disk with the page (the writeback's record or one flush), not file by file. A file that
        // holds the text already is left as it is, mtime included, and its row corrected instead.
        if (!ArtifactText.Holds(file.FullPath, file.Bytes))
        {
            AtomicFile.Write(file.FullPath, file.Bytes, durable: false);
            GiveMtime(() => File.SetLastWriteTimeUtc(file.FullPath, Utc(file.Mtime)));
        }

        var info = new FileInfo(file.FullPath);
        return new Written(file.Id, file.Kind, file.FullPath, info.Length, info.LastWriteTimeUtc.Ticks, file.Mtime);
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>A file system that refuses to set times, or keeps them coarser than ticks, leaves the file with the
    /// write's own mtime: the stat read back differs from the row's and the row is corrected before the commit.</summary>
    private static void GiveMtime(Action set)
    {
        try
        {
            set();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Corrected through the stat read back (see above).
        }
    }
}
