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

    /// <summary>An array, walked without the enumerator an <see cref="IReadOnlyList{T}"/> allocates.</summary>
    private static readonly ArtifactKind[] Kinds = [.. ArtifactKinds.All];

    public static bool IsScoped(ArtifactKind kind) => kind != ArtifactKind.Adr;

    public static string Extension(ArtifactKind kind) => kind == ArtifactKind.Journey ? ".yaml" : ".md";

    /// <summary>The kind whose folder holds <paramref name="relativePath"/>, and the path below that folder.</summary>
    public bool TryClassify(string relativePath, out ArtifactKind kind, out string below)
    {
        // Asked for every file a scan or a pull touches: nothing is allocated here but the path below the folder.
        foreach (var candidate in Kinds)
        {
            var root = Root(candidate).AsSpan().TrimEnd('/');
            if (relativePath.Length > root.Length && relativePath[root.Length] == '/' && relativePath.AsSpan().StartsWith(root, StringComparison.Ordinal))
            {
                kind = candidate;
                below = relativePath[(root.Length + 1)..];
                return IsArtifactFileName(kind, below);
            }
        }

        kind = default;
        below = "";
        return false;
    }

    private static bool IsArtifactFileName(ArtifactKind kind, string below)
    {
        var depth = below.AsSpan().Count('/');
        if (depth != (IsScoped(kind) ? 1 : 0))
            return false;
        var name = below.AsSpan(below.LastIndexOf('/') + 1);
        if (name.StartsWith("."))
            return false;
        return kind == ArtifactKind.Journey
            ? name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal)
            : name.EndsWith(".md", StringComparison.Ordinal);
    }

    /// <summary>The path below the kind's folder, as remotes keep it so every developer gets the same file name.</summary>
    public string? BelowRoot(ArtifactKind kind, string relativePath) =>
        TryClassify(relativePath, out var k, out var below) && k == kind ? below : null;

    /// <summary>
    /// Where a file sent by a remote goes: its path below the kind's folder when that is a well-formed artifact name there
    /// (never outside the folder: a remote is not trusted with paths), else the canonical path.
    /// </summary>
    public string PathFromRemote(ArtifactKind kind, string? below, string scope, string id, string title) =>
        PathFromRemote(kind, below, scope, id, () => title);

    /// <param name="title">Asked only when the canonical path is needed.</param>
    public string PathFromRemote(ArtifactKind kind, string? below, string scope, string id, Func<string> title)
    {
        if (below is { Length: > 0 and <= 300 } && !below.Contains('\\', StringComparison.Ordinal) && !below.Contains('\0', StringComparison.Ordinal)
            && !below.StartsWith('/') && below.Split('/').All(segment => segment is not ("" or "." or "..")))
        {
            var candidate = $"{Root(kind).TrimEnd('/')}/{below}";
            if (TryClassify(candidate, out var k, out _) && k == kind)
                return candidate;
        }

        return CanonicalPath(kind, scope, id, title());
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
