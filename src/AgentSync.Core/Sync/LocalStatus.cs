using AgentSync.Artifacts;

namespace AgentSync.Sync;

public sealed record KindStateCount(ArtifactKind Kind, string? State, int Count);

public sealed record LocalChange(string Id, ArtifactKind Kind, string Path, ChangeType Change);

/// <summary>The local half of <c>agent sync status</c>: counts by kind and state, and files changed since recorded.</summary>
/// <param name="Unpushed">Recorded changes the remote has not acknowledged yet and that are not queued.</param>
public sealed record LocalStatus(int Artifacts, IReadOnlyList<KindStateCount> ByKindAndState, IReadOnlyList<LocalChange> FileChanges, IReadOnlyList<InputError> Errors, IReadOnlyList<(string Id, ArtifactKind Kind, string Path)> Conflicts, IReadOnlyList<(string Id, ArtifactKind Kind, string Path)> Unpushed)
{
    public static async Task<LocalStatus> ComputeAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var all = await context.Store.ListAsync(null, null, cancellationToken);
        var live = all.Where(a => !a.Deleted).ToList();
        var counts = live.GroupBy(a => (a.Kind, a.State))
            .Select(g => new KindStateCount(g.Key.Kind, g.Key.State, g.Count()))
            .OrderBy(c => c.Kind).ThenBy(c => c.State, StringComparer.Ordinal)
            .ToList();
        var diff = await new TreeRecorder(context).DiffAsync(null, all, cancellationToken);
        var changes = diff.Changes.Select(c => new LocalChange(c.File.Id, c.File.Kind, c.File.Path, c.Change)).ToList();
        var conflicts = diff.Conflicted.Concat(all.Where(a => a.Conflicted)).DistinctBy(a => (a.Id, a.Kind)).Select(a => (a.Id, a.Kind, a.Path)).ToList();
        var queued = (await context.Store.OutboxAsync(cancellationToken)).Select(e => (e.Id, e.Kind)).ToHashSet();
        var reconciler = new Reconciler(context);
        var unpushed = new List<(string, ArtifactKind, string)>();
        // Without a remote nothing is ever pushed: "unpushed" would only be noise.
        foreach (var artifact in all.Where(a => context.Config.Remote is not null && !a.Conflicted && !queued.Contains((a.Id, a.Kind))))
        {
            if (artifact.Deleted ? artifact.BaseVersion > 0 : await reconciler.HasLocalEditAsync(artifact, cancellationToken))
                unpushed.Add((artifact.Id, artifact.Kind, artifact.Path));
        }

        return new LocalStatus(live.Count, counts, changes, diff.Errors, conflicts, unpushed);
    }
}
