using AgentSync.Artifacts;

namespace AgentSync.Merge;

public static class MergeFormats
{
    /// <summary>Journeys are YAML, where a <c>#</c> line is a comment; every other kind is markdown.</summary>
    public static MergeFormat For(ArtifactKind kind) => kind == ArtifactKind.Journey ? MergeFormat.Text : MergeFormat.Markdown;
}
