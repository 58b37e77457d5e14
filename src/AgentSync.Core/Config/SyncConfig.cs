using AgentSync.Artifacts;

namespace AgentSync.Config;

/// <summary>The settings of <c>.agent/etc/sync.yaml</c> after environment overrides. Never holds a credential.</summary>
public sealed record SyncConfig
{
    public const long DefaultMaxFileBytes = 1024 * 1024;

    /// <summary>file:path, postgresql://user@host/db or https://ref.supabase.co; null when the workspace is local only.</summary>
    public string? Remote { get; init; }

    public string Project { get; init; } = "default";

    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    public int BatchSize { get; init; } = 500;

    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>How long <c>new-*</c> waits for the remote before it falls back to a local id and queues the push.</summary>
    public int NewIdTimeoutSeconds { get; init; } = 5;

    public string PiiPolicy { get; init; } = "block";

    public IReadOnlyList<string> PiiAllowDomains { get; init; } = [];

    public IReadOnlyList<string> PiiAllowKinds { get; init; } = [];

    public ArtifactLocations Locations { get; init; } = ArtifactLocations.Default;

    public static SyncConfig Default { get; } = new();
}
