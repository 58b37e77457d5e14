using System.Text.Json.Serialization;

namespace AgentSync.Commands.Output;

// The keys of these documents are a contract with scripts (DESIGN.md, "Command line"): add keys, never rename them.
public sealed record ArtifactJson(string Id, string Kind, string Title, string? State, string Path, long Version);

public sealed record ArtifactRefJson(string Id, string Kind);

public sealed record VersionedRefJson(string Id, string Kind, long Version);

public sealed record ChangeJson(string Id, string Kind, string Change, string? Path);

public sealed record RemoteChangeJson(string Id, string Kind, long Version, string Author, bool Deleted);

public sealed record StateDifferenceJson(string Id, string Kind, string? Local, string? Remote);

public sealed record CountJson(string Kind, string? State, int Count);

public sealed record RejectedJson(string Id, string Kind, string Reason);

public sealed record ErrorJson(string Path, string Message);

public sealed record StatusJson(
    int Artifacts,
    IReadOnlyList<ChangeJson> LocalChanges,
    IReadOnlyList<RemoteChangeJson> RemoteChanges,
    IReadOnlyList<ArtifactRefJson> Conflicts,
    int Queued,
    string Remote,
    IReadOnlyList<CountJson> ByKindAndState,
    IReadOnlyList<RejectedJson> Rejected,
    IReadOnlyList<StateDifferenceJson> StateDifferences,
    IReadOnlyList<ErrorJson> Errors,
    bool ServiceRole);

public sealed record SyncResultJson(
    IReadOnlyList<VersionedRefJson>? Pushed,
    IReadOnlyList<VersionedRefJson>? Pulled,
    IReadOnlyList<VersionedRefJson> Merged,
    IReadOnlyList<ArtifactRefJson> Conflicts,
    int Queued,
    IReadOnlyList<RejectedJson> Rejected,
    bool DryRun);

public sealed record ImportJson(IReadOnlyList<ChangeJson> Changes, int Unchanged, IReadOnlyList<ErrorJson> Errors);

public sealed record LogEntryJson(long Version, string Author, DateTimeOffset At, string? Description, bool Deleted, string ContentHash, string Source);

public sealed record SchemaJson(int From, int To);

/// <summary>agent sync migrate --json; "remote" is absent when no remote is configured.</summary>
public sealed record MigrationJson(SchemaJson Cache, SchemaJson? Remote, bool DryRun);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<ArtifactJson>))]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(SyncResultJson))]
[JsonSerializable(typeof(ImportJson))]
[JsonSerializable(typeof(IReadOnlyList<LogEntryJson>))]
[JsonSerializable(typeof(MigrationJson))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
