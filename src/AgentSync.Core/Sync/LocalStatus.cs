using AgentSync.Artifacts;

namespace AgentSync.Sync;

public sealed record KindStateCount(ArtifactKind Kind, string? State, int Count);

public sealed record LocalChange(string Id, ArtifactKind Kind, string Path, ChangeType Change);

/// <summary>The local half of <c>agent sync status</c>: counts by kind and state, and files changed since recorded.</summary>
public sealed record LocalStatus(int Artifacts, IReadOnlyList<KindStateCount> ByKindAndState, IReadOnlyList<LocalChange> FileChanges, IReadOnlyList<InputError> Errors, IReadOnlyList<(string Id, ArtifactKind Kind, string Path)> Conflicts)
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
        return new LocalStatus(live.Count, counts, changes, diff.Errors, conflicts);
    }
}
