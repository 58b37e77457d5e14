using AgentSync.Artifacts;
using AgentSync.Store;

namespace AgentSync.Sync;

public enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A file that differs from what the cache recorded; <see cref="Content"/> is null for deletions.</summary>
public sealed record TreeChange(ChangeType Change, ArtifactFile File, string? Content, string? ContentHash, StoredArtifact? Previous, TreeStat? Stat)
{
    /// <summary>When the tree was compared, another artifact's record held this file's path (a file renamed to take
    /// another id's place); recording must then move that record out of the way. Nothing else can hold the path.</summary>
    public bool PathHeldByAnother { get; init; }
}

public sealed record TreeStat(long Size, long Mtime);

/// <summary>A file that could not be taken in, and what to do about it.</summary>
public sealed record InputError(string Path, string Message);

/// <summary>How the working tree differs from the cache.</summary>
public sealed record TreeDiff(
    IReadOnlyList<TreeChange> Changes,
    IReadOnlyList<InputError> Errors,
    IReadOnlyList<(StoredArtifact Artifact, TreeStat Stat)> Touched,
    IReadOnlyList<StoredArtifact> Conflicted,
    int Unchanged);
