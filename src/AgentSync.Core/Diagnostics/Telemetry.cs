using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentSync.Diagnostics;

/// <summary>
/// The one ActivitySource and Meter of agent-sync. Creating them is cheap and, with no listener attached (no
/// OpenTelemetry SDK configured), every span and measurement below costs a null check: the SDK is wired only by the
/// executable, and only when tracing or metrics export is asked for.
/// </summary>
public static class Telemetry
{
    public const string Name = "AgentSync";

    public static readonly ActivitySource Source = new(Name, "1.0.0");

    public static readonly Meter Meter = new(Name, "1.0.0");

    /// <summary>Duration of each sync operation, by operation and outcome.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("agent_sync.operation.duration", "ms", "Duration of sync operations");

    public static readonly Counter<long> Pushed = Meter.CreateCounter<long>("agent_sync.artifacts.pushed", "{artifact}", "Artifacts accepted by the remote");

    public static readonly Counter<long> Pulled = Meter.CreateCounter<long>("agent_sync.artifacts.pulled", "{artifact}", "Artifacts brought from the remote");

    /// <summary>Conflicts, tagged resolution=auto (merged cleanly) or resolution=manual (markers left for a person).</summary>
    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("agent_sync.conflicts", "{conflict}", "Concurrent edits met by push or pull");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("agent_sync.errors", "{error}", "Failed operations by kind");

    public static readonly Histogram<long> QueueLength = Meter.CreateHistogram<long>("agent_sync.queue.length", "{change}", "Changes waiting in the outbox after an operation");

    /// <summary>A child span around one call to a remote, tagged with the transport and the call.</summary>
    public static Activity? RemoteCall(string call, string remote) =>
        Source.StartActivity($"remote.{call}", ActivityKind.Client)?.SetTag("agent_sync.remote", remote);
}
