namespace AgentSync.Artifacts;

public enum ArtifactKind
{
    Story,
    Plan,
    Runbook,
    Adr,
    Journey,
}

public static class ArtifactKinds
{
    public static IReadOnlyList<ArtifactKind> All { get; } =
        [ArtifactKind.Story, ArtifactKind.Plan, ArtifactKind.Runbook, ArtifactKind.Adr, ArtifactKind.Journey];

    /// <summary>The lower-case name used in files, SQL and JSON.</summary>
    public static string Name(this ArtifactKind kind) => kind switch
    {
        ArtifactKind.Story => "story",
        ArtifactKind.Plan => "plan",
        ArtifactKind.Runbook => "runbook",
        ArtifactKind.Adr => "adr",
        ArtifactKind.Journey => "journey",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? text, out ArtifactKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "story" or "stories": kind = ArtifactKind.Story; return true;
            case "plan" or "plans": kind = ArtifactKind.Plan; return true;
            case "runbook" or "runbooks": kind = ArtifactKind.Runbook; return true;
            case "adr" or "adrs": kind = ArtifactKind.Adr; return true;
            case "journey" or "journeys": kind = ArtifactKind.Journey; return true;
            default: kind = default; return false;
        }
    }

    public static ArtifactKind Parse(string text) => TryParse(text, out var kind)
        ? kind
        : throw Errors.SyncException.Usage($"unknown kind '{text}'; use one of: story, plan, runbook, adr, journey");
}
