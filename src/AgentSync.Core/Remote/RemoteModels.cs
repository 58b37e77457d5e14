using System.Text;
using AgentSync.Artifacts;

namespace AgentSync.Remote;

public sealed record RemoteInfo(string Describe, int SchemaVersion, string? User, bool ServiceRole);

/// <summary>One change as a push sends it. <see cref="ChangeId"/> is reused on every retry of the same change.</summary>
/// <param name="Content">The whole new content; empty for a deletion.</param>
/// <param name="BaseVersion">The remote version this change was made on; 0 = the artifact must not exist yet.</param>
public sealed record RemoteChange(
    Guid ChangeId,
    string Id,
    ArtifactKind Kind,
    long BaseVersion,
    string Content,
    string ContentHash,
    bool Deleted,
    string Author,
    string? Description)
{
    /// <summary>The file's path below its kind's folder (e.g. INFRA/INFRA-018.md), so every developer gets the same file.</summary>
    public string? Path { get; init; }
}

public enum PushStatus
{
    /// <summary>Applied (now or by an earlier try with the same change id); Version and Sequence are set.</summary>
    Accepted,

    /// <summary>The base version was stale; Version, Content, Author and Deleted describe the current head.</summary>
    Conflict,
}

public sealed record PushResult(
    Guid ChangeId,
    string Id,
    ArtifactKind Kind,
    PushStatus Status,
    long Version,
    long? Sequence,
    string? Content,
    string? ContentHash,
    bool Deleted,
    string? Author)
{
    /// <summary>For a conflict: the head's path below its kind's folder.</summary>
    public string? Path { get; init; }
}

/// <summary>One row of the remote change log.</summary>
public sealed record RemoteChangeRecord(
    long Sequence,
    Guid ChangeId,
    string Id,
    ArtifactKind Kind,
    long Version,
    string Content,
    string ContentHash,
    bool Deleted,
    string Author,
    string? Description,
    DateTimeOffset CreatedAt)
{
    /// <summary>The file's path below its kind's folder as the author had it; null from remotes that do not keep it.</summary>
    public string? Path { get; init; }

    /// <summary><see cref="Content"/> as UTF-8, when the transport read it so (it is the file's bytes: a pull need not
    /// encode the text again); null otherwise.</summary>
    public byte[]? Utf8 { get; init; }

    /// <summary>The whole new content; empty for a deletion. A record read as UTF-8 (<see cref="FromUtf8"/>) decodes it
    /// on first use only: a new artifact is written from its bytes and never needs it.</summary>
    public string Content { get => field ??= Encoding.UTF8.GetString(Utf8!); init; } = Content;

    /// <summary>A change whose content the transport read as UTF-8 bytes.</summary>
    public static RemoteChangeRecord FromUtf8(long sequence, Guid changeId, string id, ArtifactKind kind, long version, byte[] utf8, string contentHash, bool deleted, string author, string? description, DateTimeOffset createdAt, string? path) =>
        new(sequence, changeId, id, kind, version, Content: null!, contentHash, deleted, author, description, createdAt) { Utf8 = utf8, Path = path };
}

public sealed record PullPage(IReadOnlyList<RemoteChangeRecord> Changes, bool More)
{
    /// <summary>The cursor to save after applying this page.</summary>
    public long LastSequence(long previous) => Changes.Count == 0 ? previous : Changes[^1].Sequence;
}
