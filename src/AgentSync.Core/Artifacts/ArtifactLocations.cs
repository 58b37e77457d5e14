namespace AgentSync.Artifacts;

/// <summary>
/// Where each kind lives in the workspace (relative, '/'-separated), from sync.yaml or the defaults of DESIGN.md.
/// Stories, plans, runbooks and journeys sit in one folder per scope; ADRs sit flat in their folder.
/// </summary>
public sealed record ArtifactLocations(string Stories, string Plans, string Runbooks, string Adrs, string Journeys)
{
    public static ArtifactLocations Default { get; } = new(
        ".agent/cache/stories", ".agent/cache/plans", ".agent/cache/runbooks", ".agent/adrs", ".agent/cache/journeys");

    public string Root(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Story => Stories,
        ArtifactKind.Plan => Plans,
        ArtifactKind.Runbook => Runbooks,
        ArtifactKind.Adr => Adrs,
        ArtifactKind.Journey => Journeys,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool IsScoped(ArtifactKind kind) => kind != ArtifactKind.Adr;

    public static string Extension(ArtifactKind kind) => kind == ArtifactKind.Journey ? ".yaml" : ".md";

    /// <summary>The kind whose folder holds <paramref name="relativePath"/>, and the path below that folder.</summary>
    public bool TryClassify(string relativePath, out ArtifactKind kind, out string below)
    {
        foreach (var candidate in ArtifactKinds.All)
        {
            var root = Root(candidate).TrimEnd('/') + "/";
            if (relativePath.StartsWith(root, StringComparison.Ordinal))
            {
                kind = candidate;
                below = relativePath[root.Length..];
                return IsArtifactFileName(kind, below);
            }
        }

        kind = default;
        below = "";
        return false;
    }

    private static bool IsArtifactFileName(ArtifactKind kind, string below)
    {
        var depth = below.Count(c => c == '/');
        if (depth != (IsScoped(kind) ? 1 : 0))
            return false;
        var name = below[(below.LastIndexOf('/') + 1)..];
        if (name.StartsWith('.'))
            return false;
        return kind == ArtifactKind.Journey
            ? name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal)
            : name.EndsWith(".md", StringComparison.Ordinal);
    }

    /// <summary>The canonical file of a new artifact, as <c>agent new-*</c> and pulls of new artifacts write it.</summary>
    public string CanonicalPath(ArtifactKind kind, string scope, string id, string title)
    {
        var name = kind == ArtifactKind.Runbook ? $"{id}-runbook" : JoinSlug(id, Slug.Of(title));
        var folder = IsScoped(kind) ? $"{Root(kind)}/{scope}" : Root(kind);
        return $"{folder}/{name}{Extension(kind)}";
    }

    private static string JoinSlug(string id, string slug) => slug.Length == 0 ? id : $"{id}-{slug}";
}
