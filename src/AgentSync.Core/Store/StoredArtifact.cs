using AgentSync.Artifacts;

namespace AgentSync.Store;

/// <summary>The part of a record a scan of the working tree compares a file with.</summary>
public sealed record ArtifactIndexEntry(string Id, ArtifactKind Kind, string Path, long? FileSize, long? FileMtime, bool Deleted, bool Conflicted)
{
    public static ArtifactIndexEntry Of(StoredArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new(artifact.Id, artifact.Kind, artifact.Path, artifact.FileSize, artifact.FileMtime, artifact.Deleted, artifact.Conflicted);
    }
}

/// <summary>One artifact as the local cache knows it.</summary>
/// <param name="ContentHash">The blob of the content last recorded from (or written to) the working tree.</param>
/// <param name="BaseVersion">The remote version the recorded content is based on; 0 = never on the remote.</param>
/// <param name="BaseHash">The blob of that remote version, the common ancestor of the next merge.</param>
/// <param name="RemoteState">The remote's state when it differs from the local one (Git governs state).</param>
public sealed record StoredArtifact(
    string Id,
    ArtifactKind Kind,
    string Scope,
    string Title,
    string? State,
    string Path,
    string ContentHash,
    long BaseVersion,
    string? BaseHash,
    string? Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long? FileSize,
    long? FileMtime,
    bool Conflicted,
    bool Deleted,
    string? RemoteState)
{
    /// <summary>During a conflict: the remote version being merged against.</summary>
    public long? RemoteVersion { get; init; }

    /// <summary>During a conflict: the blob of the remote's content; null with a RemoteVersion = deleted remotely.</summary>
    public string? RemoteHash { get; init; }

    public string? RemoteAuthor { get; init; }

    /// <summary>Recorded locally and not yet on the remote as it stands.</summary>
    public bool HasUnpushedChange => Deleted ? BaseVersion > 0 : BaseHash != ContentHash;
}

/// <summary>A change waiting in the outbox.</summary>
public sealed record OutboxEntry(
    Guid ChangeId,
    string Id,
    ArtifactKind Kind,
    long BaseVersion,
    string ContentHash,
    bool Deleted,
    string Author,
    string? Description,
    DateTimeOffset CreatedAt,
    int Attempts,
    string? LastError,
    bool Rejected);
