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
    private LocalStore.WriteScope? _batchScope;
    private Batch? _batch;

    /// <summary>What a pull page writes: its files for the flush or writeback record, and the queue that writes them.</summary>
    private sealed record Batch(DurableWrites Writes, PageFiles Files);

    /// <param name="storedHash">The hash of <paramref name="content"/> when the caller has just stored it as a blob.</param>
    /// <param name="encoded"><paramref name="content"/> as the file's bytes, when the caller has them already.</param>
    /// <param name="ownPath">The template is the stored record at its stored path: no other record can hold that path
    /// (it is unique), so it is not looked up. The file there is the artifact's own, unedited (a fast-forward): in a
    /// pull page its replacement waits in the page's queue like a new file.</param>
    public async Task<StoredArtifact> WriteAsync(StoredArtifact template, string content, string operation, CancellationToken cancellationToken, string? storedHash = null, byte[]? encoded = null, bool ownPath = false)
    {
        var hash = storedHash ?? await context.Store.PutBlobAsync(content, cancellationToken);
        var parsed = template.Conflicted ? null : ArtifactParser.Parse(template.Path, content, context.Config.Locations);
        return await WriteAsync(template, encoded ?? ArtifactText.Encode(content), operation, hash, absent: false, ownPath, parsed, cancellationToken);
    }

    /// <summary>A new artifact from a pull, from its bytes alone: stored as a blob and identified at the template's path
    /// by the caller; its state is read here without decoding the text into a string.</summary>
    /// <param name="absent">The caller has just seen that no file is there.</param>
    public Task<StoredArtifact> WriteNewAsync(StoredArtifact template, byte[] bytes, string storedHash, bool absent, ArtifactFile? identified, CancellationToken cancellationToken) =>
        WriteAsync(template, bytes, "pull", storedHash, absent, ownPath: false,
            identified is null ? null : identified with { State = StateField.ValueOf(bytes, identified.Kind == ArtifactKind.Journey) }, cancellationToken);

    /// <param name="hash">The hash of the text, stored as a blob.</param>
    /// <param name="parsed">What the text says at the template's path (null for a file with conflict markers).</param>
    private async Task<StoredArtifact> WriteAsync(StoredArtifact template, byte[] bytes, string operation, string hash, bool absent, bool ownPath, ArtifactFile? parsed, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var full = context.Workspace.FullPath(template.Path);
        // Inside a transaction (a pull page) the files reach the disk together just before it commits, or are left to
        // the writeback; alone, each one is flushed before its rename.
        var batch = BatchFor(store.CurrentWrite);
        var queued = batch is not null && !template.Conflicted && (absent || ownPath);
        // The mtime a queued file is given when it is written, recorded in its row now (see PageFiles.Enqueue).
        var given = DateTime.UtcNow.Ticks;
        if (queued)
        {
            batch!.Files.Enqueue(full, bytes, template.Id, template.Kind, replace: !absent, given);
            batch.Writes.Add(full);
        }
        else
        {
            if (batch is not null)
                await batch.Files.SettleAsync(full);
            if (!ArtifactText.Holds(full, bytes))
            {
                await AtomicFile.WriteAsync(full, bytes, cancellationToken, durable: batch is null);
                batch?.Writes.Add(full);
            }
        }

        // Markers are not in the cache (only both sides are): such a file could not be restored after a crash.
        if (template.Conflicted)
            batch?.Writes.RequireFlush();

        var stat = queued ? new TreeFile(template.Path, full, bytes.Length, given)
            : template.Conflicted ? null : WorkingTree.Stat(context.Workspace, template.Path);
        var artifact = template with
        {
            ContentHash = template.Conflicted ? template.ContentHash : hash,
            Title = parsed?.Title ?? template.Title,
            State = parsed is null ? template.State : parsed.State,
            Scope = parsed?.Scope ?? template.Scope,
            UpdatedAt = DateTimeOffset.UtcNow,
            // A file with conflict markers is never "unchanged": status and push must look at it again.
            FileSize = stat?.Size,
            FileMtime = stat?.Mtime,
        };
        var previous = ownPath ? null : await store.GetByPathAsync(artifact.Path, cancellationToken);
        if (previous is not null && (previous.Id, previous.Kind) != (artifact.Id, artifact.Kind))
            await store.RemoveAsync(previous.Id, previous.Kind, cancellationToken);
        await store.PutAsync(artifact, cancellationToken);
        await store.AddHistoryAsync(artifact.Id, artifact.Kind, operation, artifact.ContentHash, template.Author, cancellationToken);
        return artifact;
    }

    /// <summary>Whether no file is at <paramref name="fullPath"/>, as this page knows it (<see cref="PageFiles.Absent"/>)
    /// or, outside a page, as the disk says.</summary>
    public bool Absent(string fullPath) => BatchFor(context.Store.CurrentWrite)?.Files.Absent(fullPath) ?? !File.Exists(fullPath);

    /// <summary>Before looking at a file: a new file of this page still queued is written first.</summary>
    public Task SettleAsync(string fullPath) => BatchFor(context.Store.CurrentWrite)?.Files.SettleAsync(fullPath) ?? Task.CompletedTask;

    private Batch? BatchFor(LocalStore.WriteScope? scope)
    {
        if (scope is null)
            return null;
        if (scope != _batchScope)
        {
            var batch = new Batch(new DurableWrites(context.Workspace.DatabasePath), new PageFiles());
            scope.BeforeCommit(cancellationToken => FinishAsync(batch, cancellationToken));
            (_batchScope, _batch) = (scope, batch);
        }

        return _batch;
    }

    private async Task FinishAsync(Batch batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<PageFiles.Written> files;
        // The wait for the page's file thread to write what is still queued.
        using (Diagnostics.Telemetry.Source.StartActivity("page.files"))
            files = await batch.Files.FinishAsync();
        // Rows hold the mtime each file was given; only a file that did not take it has its row corrected.
        var corrections = new List<LocalStore.FileStatCorrection>();
        foreach (var written in files)
        {
            if (!written.AsGiven && context.Workspace.RelativePath(written.FullPath) is { } path)
                corrections.Add(new LocalStore.FileStatCorrection(written.Id, written.Kind, path, written.Given, written.Size, written.Mtime));
        }

        await context.Store.CorrectFileStatsAsync(corrections, cancellationToken);

        await Writeback.SettleBatchAsync(context, batch.Writes, cancellationToken);
    }

    public async Task DeleteAsync(StoredArtifact artifact, string operation, CancellationToken cancellationToken)
    {
        var full = context.Workspace.FullPath(artifact.Path);
        await SettleAsync(full);
        if (File.Exists(full))
        {
            File.Delete(full);
            // A deletion lost in a crash would bring the file back with no row: it would look like a new local artifact.
            BatchFor(context.Store.CurrentWrite)?.Writes.RequireFlush();
        }

        await context.Store.RemoveAsync(artifact.Id, artifact.Kind, cancellationToken);
        await context.Store.AddHistoryAsync(artifact.Id, artifact.Kind, operation, null, artifact.Author, cancellationToken);
    }
}
