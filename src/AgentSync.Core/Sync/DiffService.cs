using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>Two texts of one artifact to compare, with what each side is.</summary>
public sealed record ArtifactDiff(string Id, ArtifactKind Kind, string Path, string LeftLabel, string Left, string RightLabel, string Right);

/// <summary>
/// <c>agent sync diff</c>: the working file against its base version, or, during a conflict, the local version against
/// the remote one.
/// </summary>
public static class DiffService
{
    public static async Task<IReadOnlyList<ArtifactDiff>> ComputeAsync(SyncContext context, string? id, CancellationToken cancellationToken)
    {
        var all = await context.Store.ListAsync(null, null, cancellationToken);
        var selected = id is null ? all : all.Where(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (id is not null && selected.Count == 0)
            throw SyncException.Usage($"{id} is not in the cache; check 'agent list'");
        var diffs = new List<ArtifactDiff>();
        foreach (var artifact in selected)
        {
            var diff = await DiffOneAsync(context, artifact, cancellationToken);
            if (diff is not null && (diff.Left != diff.Right || id is not null))
                diffs.Add(diff);
        }

        if (id is null)
        {
            // New files not yet recorded are local changes too.
            foreach (var change in (await new TreeRecorder(context).DiffAsync(null, cancellationToken)).Changes.Where(c => c.Previous is null && c.Content is not null))
                diffs.Add(new ArtifactDiff(change.File.Id, change.File.Kind, change.File.Path, "base (none)", "", "local", change.Content!));
        }

        return diffs;
    }

    private static async Task<ArtifactDiff?> DiffOneAsync(SyncContext context, StoredArtifact artifact, CancellationToken cancellationToken)
    {
        var store = context.Store;
        if (artifact.Conflicted)
        {
            var ours = artifact.Deleted ? "" : await store.GetBlobAsync(artifact.ContentHash, cancellationToken) ?? "";
            var theirs = await store.GetBlobAsync(artifact.RemoteHash, cancellationToken) ?? "";
            var remoteLabel = artifact.RemoteHash is null ? $"remote v{artifact.RemoteVersion} (deleted)" : $"remote v{artifact.RemoteVersion} ({artifact.RemoteAuthor})";
            return new ArtifactDiff(artifact.Id, artifact.Kind, artifact.Path, artifact.Deleted ? "local (deleted)" : "local", ours, remoteLabel, theirs);
        }

        var @base = await store.GetBlobAsync(artifact.BaseHash, cancellationToken) ?? "";
        var full = context.Workspace.FullPath(artifact.Path);
        var local = File.Exists(full)
            ? ArtifactText.Decode(await File.ReadAllBytesAsync(full, cancellationToken), artifact.Path, long.MaxValue)
            : "";
        var baseLabel = artifact.BaseVersion == 0 ? "base (none)" : $"base v{artifact.BaseVersion}";
        return new ArtifactDiff(artifact.Id, artifact.Kind, artifact.Path, baseLabel, @base, File.Exists(full) ? "local" : "local (deleted)", local);
    }
}
