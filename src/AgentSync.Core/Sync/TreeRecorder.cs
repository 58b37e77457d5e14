using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// Compares the working tree with the cache and records what changed, like <c>git add -A</c> would see it. Bad files
/// are reported one by one and never stop the good ones; nothing of a bad file is recorded.
/// </summary>
public sealed class TreeRecorder(SyncContext context)
{
    /// <summary>How the tree differs from the cache, without writing anything.</summary>
    /// <param name="paths">Workspace-relative or absolute paths; null = the whole working tree.</param>
    public Task<TreeDiff> DiffAsync(IReadOnlyCollection<string>? paths, CancellationToken cancellationToken) =>
        DiffAsync(paths, null, cancellationToken);

    /// <param name="records">Every record of the cache when the caller has just listed them; null = read what the scan
    /// needs here, and whole records only for the files that changed.</param>
    internal async Task<TreeDiff> DiffAsync(IReadOnlyCollection<string>? paths, IReadOnlyList<StoredArtifact>? records, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var locations = context.Config.Locations;
        var store = context.Store;
        var errors = new List<InputError>();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var files = paths is null ? WorkingTree.Scan(workspace, locations) : ResolvePaths(paths, errors, missing);
        var index = records is null ? await store.IndexAsync(cancellationToken) : records.Select(ArtifactIndexEntry.Of).ToList();
        Dictionary<(string, ArtifactKind), StoredArtifact>? whole = null;
        var byPath = index.ToDictionary(r => r.Path, StringComparer.Ordinal);
        var byKey = index.ToDictionary(r => (r.Id, r.Kind));
        var onDisk = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);

        async Task<StoredArtifact> RecordOf(ArtifactIndexEntry entry)
        {
            if (records is not null)
                return (whole ??= records.ToDictionary(r => (r.Id, r.Kind)))[(entry.Id, entry.Kind)];
            return await store.GetAsync(entry.Id, entry.Kind, cancellationToken)
                ?? throw new InvalidOperationException($"the record of {entry.Id} vanished while the tree was compared with the cache");
        }

        var changes = new List<TreeChange>();
        var touched = new List<(StoredArtifact, TreeStat)>();
        var conflicted = new List<StoredArtifact>();
        var claimed = new Dictionary<(string, ArtifactKind), string>();
        var unchanged = 0;

        // Reading, decoding, parsing and hashing the files that changed is independent per file and most of the
        // work: done on every core first, then decided in order below. No result means unchanged (size and mtime).
        var loaded = new Loaded?[files.Count];
        var maxBytes = context.Config.MaxFileBytes;
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var file = files[i];
            byPath.TryGetValue(file.RelativePath, out var atPath);
            if (!Unchanged(atPath, file))
                loaded[i] = Load(file, locations, maxBytes);
        });

        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            byPath.TryGetValue(file.RelativePath, out var atPath);
            var stat = new TreeStat(file.Size, file.Mtime);
            if (loaded[i] is not { } result)
            {
                claimed[(atPath!.Id, atPath.Kind)] = file.RelativePath;
                if (atPath.Conflicted)
                    conflicted.Add(await RecordOf(atPath));
                else
                    unchanged++;
                continue;
            }

            if (result is not { Content: { } content, Parsed: { } parsed, Hash: { } hash })
            {
                errors.Add(new InputError(file.RelativePath, result.Error!));
                continue;
            }

            var key = (parsed.Id, parsed.Kind);
            if (claimed.TryGetValue(key, out var first))
            {
                errors.Add(new InputError(file.RelativePath, $"{file.RelativePath}: id {parsed.Id} is already used by {first}; give one of them a new id (rename the file and its heading) and import again"));
                continue;
            }

            byKey.TryGetValue(key, out var known);
            if (known is not null && known.Path != file.RelativePath && !known.Deleted && (onDisk.Contains(known.Path) || (paths is not null && File.Exists(workspace.FullPath(known.Path)))))
            {
                errors.Add(new InputError(file.RelativePath, $"{file.RelativePath}: id {parsed.Id} is already used by {known.Path}; give one of them a new id (rename the file and its heading) and import again"));
                continue;
            }

            claimed[key] = file.RelativePath;
            var existing = known is null ? null : await RecordOf(known);
            if (existing is { Conflicted: true })
            {
                conflicted.Add(existing);
                continue;
            }

            if (existing is not null && existing.ContentHash == hash && existing.Path == file.RelativePath && !existing.Deleted
                && existing.State == parsed.State && existing.Title == parsed.Title)
            {
                touched.Add((existing, stat));
                unchanged++;
                continue;
            }

            changes.Add(new TreeChange(existing is null || (existing.Deleted && existing.BaseVersion == 0) ? ChangeType.Added : ChangeType.Modified, parsed, content, hash, existing, stat)
            {
                PathHeldByAnother = atPath is not null && (atPath.Id, atPath.Kind) != key,
            });
        }

        var gone = paths is null
            ? index.Where(r => !r.Deleted && !onDisk.Contains(r.Path))
            : index.Where(r => !r.Deleted && missing.Contains(r.Path));
        // In the cache's listing order (kind, then id), as the rest of the agent reports artifacts.
        foreach (var entry in gone.OrderBy(e => e.Kind.Name(), StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal).ToList())
        {
            if (claimed.ContainsKey((entry.Id, entry.Kind)))
                continue; // renamed: the new path carries it
            var record = await RecordOf(entry);
            var file = new ArtifactFile(record.Id, record.Kind, record.Scope, record.Title, record.State, record.Path);
            changes.Add(new TreeChange(ChangeType.Deleted, file, null, null, record, null));
        }

        return new TreeDiff(changes, errors, touched, conflicted, unchanged);
    }

    /// <summary>What one changed file holds: its text, what it parses to and its hash, or why it cannot be recorded.</summary>
    private readonly record struct Loaded(string? Content, ArtifactFile? Parsed, string? Hash, string? Error);

    /// <summary>Size and mtime as recorded: the file is taken as unchanged without reading it, as git's index does.</summary>
    private static bool Unchanged(ArtifactIndexEntry? atPath, TreeFile file) =>
        atPath is { Deleted: false } && atPath.FileSize == file.Size && atPath.FileMtime == file.Mtime;

    private static Loaded Load(TreeFile file, ArtifactLocations locations, long maxBytes)
    {
        string content, hash;
        try
        {
            (content, hash) = ArtifactText.Read(file.FullPath, file.RelativePath, maxBytes);
        }
        catch (SyncException e)
        {
            return new Loaded(null, null, null, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable, or gone since the scan: said about this file alone, the others are still recorded.
            var why = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "it no longer exists, or is a link to nothing",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            return new Loaded(null, null, null, $"{file.RelativePath}: cannot be read ({why}); fix or remove it, then run the command again");
        }

        var parsed = ArtifactParser.Parse(file.RelativePath, content, locations);
        return parsed is null
            ? new Loaded(null, null, null, $"{file.RelativePath}: no artifact id found; name the file <ID>-<slug>{Path.GetExtension(file.RelativePath)} (e.g. INFRA-001-title) or start it with '# <ID>: Title'")
            : new Loaded(content, parsed, hash, null);
    }

    /// <summary>Records the differences in one transaction and returns them.</summary>
    /// <param name="compared">Told the differences before they are recorded, to start work on them meanwhile.</param>
    public async Task<TreeDiff> RecordAsync(IReadOnlyCollection<string>? paths, string operation, CancellationToken cancellationToken, Action<TreeDiff>? compared = null)
    {
        var diff = await CompareAsync(paths, cancellationToken);
        compared?.Invoke(diff);
        await RecordChangesAsync(diff.Changes, diff.Touched, operation, cancellationToken);
        return diff;
    }

    /// <summary>How the tree differs from the cache, once files a crash cut short are put back (see <see cref="Writeback"/>).</summary>
    internal async Task<TreeDiff> CompareAsync(IReadOnlyCollection<string>? paths, CancellationToken cancellationToken)
    {
        // Files a crash cut short since a pull wrote them are the pull's, not edits: put them back before looking.
        if (context.Store.CurrentWrite is null)
            await Writeback.SettleAsync(context, cancellationToken);
        using var span = Diagnostics.Telemetry.Source.StartActivity("tree.compare");
        var diff = await DiffAsync(paths, cancellationToken);
        span?.SetTag("agent_sync.changes", diff.Changes.Count).SetTag("agent_sync.unchanged", diff.Unchanged);
        return diff;
    }

    /// <summary>Records <paramref name="changes"/> (a diff's, or part of them in its order) and the size and mtime of
    /// <paramref name="touched"/> in one transaction; returns the records written for the files that are there.</summary>
    internal async Task<IReadOnlyList<StoredArtifact>> RecordChangesAsync(IReadOnlyList<TreeChange> changes, IReadOnlyList<(StoredArtifact Artifact, TreeStat Stat)> touched, string operation, CancellationToken cancellationToken)
    {
        if (changes.Count == 0 && touched.Count == 0)
            return [];
        var written = new List<StoredArtifact>(changes.Count);

        using var span = Diagnostics.Telemetry.Source.StartActivity("tree.record")?.SetTag("agent_sync.changes", changes.Count);
        var store = context.Store;
        await using var scope = await store.BeginWriteAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        foreach (var change in changes)
        {
            var previous = change.Previous;
            if (change.Change == ChangeType.Deleted)
            {
                if (previous!.BaseVersion == 0)
                    await store.RemoveAsync(previous.Id, previous.Kind, cancellationToken);
                else
                    await store.PutAsync(previous with { Deleted = true, UpdatedAt = now, FileSize = null, FileMtime = null }, cancellationToken);
                await store.AddHistoryAsync(previous.Id, previous.Kind, "delete", null, context.Identity.Email, cancellationToken);
                continue;
            }

            var file = change.File;
            await store.PutBlobAsync(change.Content!, cancellationToken, change.ContentHash);
            var artifact = new StoredArtifact(
                file.Id, file.Kind, file.Scope, file.Title, file.State, file.Path, change.ContentHash!,
                previous?.BaseVersion ?? 0, previous?.BaseHash, context.Identity.Email,
                previous?.CreatedAt ?? now, now, change.Stat?.Size, change.Stat?.Mtime,
                Conflicted: false, Deleted: false, previous?.RemoteState);
            // A file whose path changed to hold this id moves the record; the old path's row must not block the new one.
            // Looked up again inside the transaction: an earlier change of this batch may have moved that row already.
            if (change.PathHeldByAnother && await store.GetByPathAsync(file.Path, cancellationToken) is { } atPath && (atPath.Id, atPath.Kind) != (file.Id, file.Kind))
                await store.RemoveAsync(atPath.Id, atPath.Kind, cancellationToken);
            await store.PutAsync(artifact, cancellationToken);
            await store.AddHistoryAsync(file.Id, file.Kind, change.Change == ChangeType.Added ? operation : "edit", change.ContentHash, context.Identity.Email, cancellationToken);
            written.Add(artifact);
        }

        foreach (var (artifact, stat) in touched)
            await store.SetFileStatAsync(artifact.Id, artifact.Kind, stat.Size, stat.Mtime, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return written;
    }

    private List<TreeFile> ResolvePaths(IReadOnlyCollection<string> paths, List<InputError> errors, HashSet<string> missing)
    {
        var workspace = context.Workspace;
        var files = new List<TreeFile>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            var relative = workspace.RelativePath(path);
            if (relative is null)
            {
                errors.Add(new InputError(path, $"{path}: outside the workspace {workspace.Root}; copy it into an artifact folder first"));
                continue;
            }

            if (!context.Config.Locations.TryClassify(relative, out _, out _))
            {
                errors.Add(new InputError(relative, $"{relative}: not in an artifact folder; stories go in {context.Config.Locations.Stories}/<SCOPE>/, ADRs in {context.Config.Locations.Adrs}/ (see locations in .agent/etc/sync.yaml)"));
                continue;
            }

            if (WorkingTree.Stat(workspace, relative) is { } file)
                files.Add(file);
            else
                missing.Add(relative);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }
}
