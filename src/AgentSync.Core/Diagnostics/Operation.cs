using System.Diagnostics;
using AgentSync.Artifacts;
using AgentSync.Sync;

namespace AgentSync.Diagnostics;

/// <summary>An artifact an operation touched, and the version it left.</summary>
public sealed record TouchedArtifact(string Id, string Kind, long Version, string Change);

/// <summary>
/// One sync operation as the audit trail, the structured log and the metrics see it: what ran, for whom, what it
/// touched, how long it took and how it ended. Services add to <see cref="Current"/>; the command layer records it.
/// </summary>
public sealed class Operation
{
    private static readonly AsyncLocal<Operation?> Ambient = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private Operation(string name) => Name = name;

    private Operation(Operation from)
    {
        Name = from.Name;
        StartedAt = from.StartedAt;
        _clock = from._clock;
        Artifacts.AddRange(from.Artifacts);
        foreach (var (name, value) in from.Counts)
            Counts[name] = value;
        Problems.AddRange(from.Problems);
        (Actor, Remote, ServiceRole) = (from.Actor, from.Remote, from.ServiceRole);
    }

    public static Operation? Current => Ambient.Value;

    public string Name { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public double DurationMs => _clock.Elapsed.TotalMilliseconds;

    public List<TouchedArtifact> Artifacts { get; } = [];

    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>What was refused and why (input errors, screening, remote refusals), one line each.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Who acted, once the operation has resolved it: resolving may start git, so it is done once.</summary>
    public string? Actor { get; set; }

    /// <summary>Set when the operation talked to a remote; then its audit record goes there too.</summary>
    public string? Remote { get; set; }

    /// <summary>The remote was used with the service role (or as the database owner): auditors want to see that.</summary>
    public bool ServiceRole { get; set; }

    public static Operation Begin(string name)
    {
        var operation = new Operation(name);
        Ambient.Value = operation;
        return operation;
    }

    public void Count(string name, long value)
    {
        if (value != 0)
            Counts[name] = Counts.GetValueOrDefault(name) + value;
    }

    /// <summary>
    /// This operation as it reads with <paramref name="report"/> added, for a record sent before the work it describes
    /// has committed: this one is left as it is (and no metric counts it) until that work has.
    /// </summary>
    public Operation With(SyncReport report)
    {
        var copy = new Operation(this);
        copy.Record(report);
        return copy;
    }

    public void Add(SyncReport report)
    {
        Record(report);
        Telemetry.Pushed.Add(report.Pushed.Count);
        Telemetry.Pulled.Add(report.Pulled.Count);
        if (report.Merged.Count > 0)
            Telemetry.Conflicts.Add(report.Merged.Count, new KeyValuePair<string, object?>("resolution", "auto"));
        if (report.Conflicts.Count > 0)
            Telemetry.Conflicts.Add(report.Conflicts.Count, new KeyValuePair<string, object?>("resolution", "manual"));
        Telemetry.QueueLength.Record(report.Queued);
        Activity.Current?.SetTag("agent_sync.pushed", report.Pushed.Count)
            .SetTag("agent_sync.pulled", report.Pulled.Count)
            .SetTag("agent_sync.merged", report.Merged.Count)
            .SetTag("agent_sync.conflicts", report.Conflicts.Count)
            .SetTag("agent_sync.queued", report.Queued);
    }

    private void Record(SyncReport report)
    {
        void Touch(IEnumerable<SyncItem> items, string change)
        {
            foreach (var item in items)
                Artifacts.Add(new TouchedArtifact(item.Id, item.Kind.Name(), item.Version, change));
        }

        Touch(report.Pushed, "pushed");
        Touch(report.Pulled, "pulled");
        Touch(report.Merged, "merged");
        foreach (var conflict in report.Conflicts)
            Artifacts.Add(new TouchedArtifact(conflict.Id, conflict.Kind.Name(), conflict.RemoteVersion, "conflict"));
        Count("pushed", report.Pushed.Count);
        Count("pulled", report.Pulled.Count);
        Count("merged", report.Merged.Count);
        Count("conflicts", report.Conflicts.Count);
        Count("rejected", report.Rejected.Count);
        Count("renumbered", report.Renumbered.Count);
        Count("refused", report.Errors.Count);
        Problems.AddRange(report.Errors.Select(e => e.Message));
        Problems.AddRange(report.Rejected.Select(r => $"{r.Id} ({r.Kind.Name()}): {r.Reason}"));
        Counts["queued"] = report.Queued;
    }

    public void Add(ArtifactKind kind, string id, long version, string change) =>
        Artifacts.Add(new TouchedArtifact(id, kind.Name(), version, change));
}
