using AgentSync.Artifacts;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// Puts sync results into the working tree and the cache. The file is written first and the row after: if the process
/// dies in between, the next scan sees a file that matches the remote and fast-forwards instead of losing anything.
/// </summary>
internal sealed class ArtifactWriter(SyncContext context)
{
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private LocalStore.WriteScope? _batchScope;
    private DurableWrites? _batch;

    /// <param name="storedHash">The hash of <paramref name="content"/> when the caller has just stored it as a blob.</param>
    /// <param name="absent">The caller has just seen that no file is there (a new artifact from the remote).</param>
    public async Task<StoredArtifact> WriteAsync(StoredArtifact template, string content, string operation, CancellationToken cancellationToken, string? storedHash = null, bool absent = false)
    {
        var store = context.Store;
        var full = context.Workspace.FullPath(template.Path);
        var bytes = ArtifactText.Encode(content);
        // Inside a transaction (a pull page) the files reach the disk together just before it commits; alone, each one
        // is flushed before its rename.
        var batch = BatchFor(store.CurrentWrite);
        TreeFile? stat = null;
        if (absent && batch is not null)
        {
            stat = CreateFile(template.Path, full, bytes);
            batch.Add(full);
        }
        else if (!ArtifactText.Holds(full, bytes))
        {
            await AtomicFile.WriteAsync(full, bytes, cancellationToken, durable: batch is null);
            batch?.Add(full);
        }

        // Markers are not in the cache (only both sides are): such a file could not be restored after a crash.
        if (template.Conflicted)
            batch?.RequireFlush();

        var hash = storedHash ?? await store.PutBlobAsync(content, cancellationToken);
        var parsed = template.Conflicted ? null : ArtifactParser.Parse(template.Path, content, context.Config.Locations);
        stat ??= WorkingTree.Stat(context.Workspace, template.Path);
        var artifact = template with
        {
            ContentHash = template.Conflicted ? template.ContentHash : hash,
            Title = parsed?.Title ?? template.Title,
            State = parsed is null ? template.State : parsed.State,
            Scope = parsed?.Scope ?? template.Scope,
            UpdatedAt = DateTimeOffset.UtcNow,
            // A file with conflict markers is never "unchanged": status and push must look at it again.
            FileSize = template.Conflicted ? null : stat?.Size,
            FileMtime = template.Conflicted ? null : stat?.Mtime,
        };
        var previous = await store.GetByPathAsync(artifact.Path, cancellationToken);
        if (previous is not null && (previous.Id, previous.Kind) != (artifact.Id, artifact.Kind))
            await store.RemoveAsync(previous.Id, previous.Kind, cancellationToken);
        await store.PutAsync(artifact, cancellationToken);
        await store.AddHistoryAsync(artifact.Id, artifact.Kind, operation, artifact.ContentHash, template.Author, cancellationToken);
        return artifact;
    }

    /// <summary>
    /// A new file of a pull page, written where it belongs with no temporary name: nothing is there to keep intact, and
    /// skipping the rename is a fifth of a first pull. A kill or power cut can leave it short; with no row recorded for
    /// it, the next pull finds a file that is a beginning of the remote text and completes it (see Reconciler).
    /// </summary>
    private TreeFile CreateFile(string relativePath, string full, byte[] bytes)
    {
        var directory = Path.GetDirectoryName(full)!;
        if (_directories.Add(directory))
            Directory.CreateDirectory(directory);
        using var handle = File.OpenHandle(full, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        RandomAccess.Write(handle, bytes, 0);
        return new TreeFile(relativePath, full, bytes.Length, File.GetLastWriteTimeUtc(handle).Ticks);
    }

    private DurableWrites? BatchFor(LocalStore.WriteScope? scope)
    {
        if (scope is null)
            return null;
        if (scope != _batchScope)
        {
            var batch = new DurableWrites(context.Workspace.DatabasePath);
            scope.BeforeCommit(cancellationToken => Writeback.SettleBatchAsync(context, batch, cancellationToken));
            (_batchScope, _batch) = (scope, batch);
        }

        return _batch;
    }

    public async Task DeleteAsync(StoredArtifact artifact, string operation, CancellationToken cancellationToken)
    {
        var full = context.Workspace.FullPath(artifact.Path);
        if (File.Exists(full))
        {
            File.Delete(full);
            // A deletion lost in a crash would bring the file back with no row: it would look like a new local artifact.
            BatchFor(context.Store.CurrentWrite)?.RequireFlush();
        }

        await context.Store.RemoveAsync(artifact.Id, artifact.Kind, cancellationToken);
        await context.Store.AddHistoryAsync(artifact.Id, artifact.Kind, operation, null, artifact.Author, cancellationToken);
    }
}
