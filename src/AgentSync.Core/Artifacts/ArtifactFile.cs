namespace AgentSync.Artifacts;

/// <summary>What a file says about itself: identity, scope, title and state (null when it has none).</summary>
/// <param name="Path">Relative to the workspace root, with '/' separators.</param>
public sealed record ArtifactFile(string Id, ArtifactKind Kind, string Scope, string Title, string? State, string Path);
