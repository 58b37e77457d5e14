using AgentSync.Artifacts;

namespace AgentSync.Sync;

public sealed record SyncItem(string Id, ArtifactKind Kind, long Version);

public sealed record ConflictItem(string Id, ArtifactKind Kind, string Path, long RemoteVersion, string? RemoteAuthor);

public sealed record RejectedItem(string Id, ArtifactKind Kind, string Reason);

public sealed record RenumberedItem(string OldId, string NewId, ArtifactKind Kind, string Path);

/// <summary>What a push or pull did (or, in a dry run, would do).</summary>
public sealed class SyncReport
{
    public List<SyncItem> Pushed { get; } = [];

    public List<SyncItem> Pulled { get; } = [];

    public List<SyncItem> Merged { get; } = [];

    public List<ConflictItem> Conflicts { get; } = [];

    public List<RejectedItem> Rejected { get; } = [];

    public List<RenumberedItem> Renumbered { get; } = [];

    public List<InputError> Errors { get; } = [];

    public int Queued { get; set; }

    public bool DryRun { get; init; }

    /// <summary>Why the remote could not be reached; null when it was (or none is configured).</summary>
    public string? Unreachable { get; set; }

    /// <summary>0 done, 75 remote unreachable (work queued), 1 conflicts to resolve, 2 input refused. A dry run that
    /// reached the remote exits 0: it changed nothing, so nothing needs resolving yet; its report says what would.</summary>
    public int ExitCode => DryRun && Unreachable is null ? (Errors.Count > 0 ? AgentSync.Errors.ExitCodes.Usage : AgentSync.Errors.ExitCodes.Ok)
        : Unreachable is not null ? AgentSync.Errors.ExitCodes.Queued
        : Conflicts.Count > 0 ? AgentSync.Errors.ExitCodes.Conflicts
        : Errors.Count > 0 || Rejected.Count > 0 ? AgentSync.Errors.ExitCodes.Usage
        : AgentSync.Errors.ExitCodes.Ok;
}
