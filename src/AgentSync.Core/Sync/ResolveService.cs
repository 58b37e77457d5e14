using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

public enum Resolution
{
    /// <summary>The file has been edited by hand: take it as it is (refused while markers remain).</summary>
    Manual,
    Ours,
    Theirs,
}

/// <summary><c>agent sync resolve</c>: ends a conflict with the local side, the remote side, or the hand-edited file.</summary>
public static class ResolveService
{
    private static readonly string[] Markers = ["<<<<<<< ", "=======", ">>>>>>> "];

    public static async Task<StoredArtifact> FindConflictAsync(SyncContext context, string id, ArtifactKind? kind, CancellationToken cancellationToken)
    {
        var matches = (await context.Store.ListAsync(kind, null, cancellationToken))
            .Where(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0)
            throw SyncException.Usage($"{id} is not in the cache; check 'agent list'");
        var conflicted = matches.Where(a => a.Conflicted).ToList();
        return conflicted.Count switch
        {
            0 => throw SyncException.Usage($"{id} has no conflict to resolve; 'agent sync status' lists conflicts"),
            1 => conflicted[0],
            _ => throw SyncException.Usage($"{id} is conflicted as {string.Join(" and ", conflicted.Select(a => a.Kind.Name()))}; add --kind to say which"),
        };
    }

    public static async Task<StoredArtifact> ResolveAsync(SyncContext context, StoredArtifact conflict, Resolution resolution, CancellationToken cancellationToken)
    {
        using var held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
        var store = context.Store;
        var full = context.Workspace.FullPath(conflict.Path);
        var remoteDeleted = conflict.RemoteVersion is not null && conflict.RemoteHash is null;
        await using var scope = await store.BeginWriteAsync(cancellationToken);
        StoredArtifact resolved;
        switch (resolution)
        {
            case Resolution.Theirs when remoteDeleted:
                if (File.Exists(full))
                    File.Delete(full);
                await store.RemoveAsync(conflict.Id, conflict.Kind, cancellationToken);
                await store.AddHistoryAsync(conflict.Id, conflict.Kind, "resolve-theirs", null, context.Identity.Email, cancellationToken);
                await scope.CommitAsync(cancellationToken);
                return conflict with { Deleted = true, Conflicted = false };
            case Resolution.Ours when conflict.Deleted:
                // We had deleted it: keep it deleted, against the remote version we now know.
                if (File.Exists(full))
                    File.Delete(full);
                resolved = Settled(conflict) with { Deleted = true };
                await store.PutAsync(resolved, cancellationToken);
                break;
            default:
                var content = resolution switch
                {
                    Resolution.Ours => await store.GetBlobAsync(conflict.ContentHash, cancellationToken),
                    Resolution.Theirs => await store.GetBlobAsync(conflict.RemoteHash, cancellationToken),
                    _ => File.Exists(full)
                        ? ArtifactText.Decode(await File.ReadAllBytesAsync(full, cancellationToken), conflict.Path, context.Config.MaxFileBytes)
                        : throw SyncException.Usage($"{conflict.Path} is missing; restore it, or use --ours or --theirs"),
                } ?? throw SyncException.Usage($"the {resolution.ToString().ToLowerInvariant()} side of {conflict.Id} is not in the cache; edit the file and run 'agent sync resolve {conflict.Id}'");
                if (resolution == Resolution.Manual && HasMarkers(content, out var line))
                    throw SyncException.Usage($"{conflict.Path}:{line}: conflict markers remain; edit them out (or use --ours / --theirs) and run 'agent sync resolve {conflict.Id}' again");
                await AtomicFile.WriteTextAsync(full, content, cancellationToken);
                var hash = await store.PutBlobAsync(content, cancellationToken);
                var parsed = ArtifactParser.Parse(conflict.Path, content, context.Config.Locations);
                var stat = WorkingTree.Stat(context.Workspace, conflict.Path);
                resolved = Settled(conflict) with
                {
                    ContentHash = hash,
                    Deleted = false,
                    Title = parsed?.Title ?? conflict.Title,
                    State = parsed is null ? conflict.State : parsed.State,
                    FileSize = stat?.Size,
                    FileMtime = stat?.Mtime,
                };
                await store.PutAsync(resolved, cancellationToken);
                break;
        }

        await store.AddHistoryAsync(conflict.Id, conflict.Kind, $"resolve-{resolution.ToString().ToLowerInvariant()}", resolved.ContentHash, context.Identity.Email, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return resolved;
    }

    private static StoredArtifact Settled(StoredArtifact conflict) => conflict with
    {
        Conflicted = false,
        BaseVersion = conflict.RemoteVersion ?? conflict.BaseVersion,
        BaseHash = conflict.RemoteHash,
        RemoteVersion = null,
        RemoteHash = null,
        RemoteAuthor = null,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static bool HasMarkers(string content, out int line)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].TrimEnd('\r');
            // A lone "=======" is also a markdown heading underline; only the outer markers prove a conflict.
            if (text.StartsWith(Markers[0], StringComparison.Ordinal) || text.StartsWith(Markers[2], StringComparison.Ordinal))
            {
                line = i + 1;
                return true;
            }
        }

        line = 0;
        return false;
    }
}
