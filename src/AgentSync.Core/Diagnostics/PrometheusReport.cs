using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentSync.Store;

namespace AgentSync.Diagnostics;

/// <summary>
/// <c>agent sync metrics</c>: the metrics of the OpenTelemetry Meter, computed from the local record (the audit rows
/// every operation leaves) because each <c>agent</c> process lives for one command. Prometheus text format 0.0.4.
/// </summary>
public static class PrometheusReport
{
    private static readonly double[] BucketsSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public static string Render(IReadOnlyList<AuditEntry> audit, int queueLength)
    {
        var text = new StringBuilder();
        var byOperation = audit.GroupBy(a => a.Operation).OrderBy(g => g.Key, StringComparer.Ordinal);
        text.AppendLine("# HELP agent_sync_operation_duration_seconds Duration of sync operations.");
        text.AppendLine("# TYPE agent_sync_operation_duration_seconds histogram");
        foreach (var group in byOperation)
        {
            var durations = group.Select(a => Number(a.Details, "duration_ms") / 1000.0).ToList();
            foreach (var bound in BucketsSeconds)
                Line(text, "agent_sync_operation_duration_seconds_bucket", $"operation=\"{group.Key}\",le=\"{bound.ToString(CultureInfo.InvariantCulture)}\"", durations.Count(d => d <= bound));
            Line(text, "agent_sync_operation_duration_seconds_bucket", $"operation=\"{group.Key}\",le=\"+Inf\"", durations.Count);
            Line(text, "agent_sync_operation_duration_seconds_sum", $"operation=\"{group.Key}\"", durations.Sum());
            Line(text, "agent_sync_operation_duration_seconds_count", $"operation=\"{group.Key}\"", durations.Count);
        }

        Counter(text, "agent_sync_artifacts_pushed_total", "Artifacts accepted by the remote.", [("", audit.Sum(a => Count(a, "pushed")))]);
        Counter(text, "agent_sync_artifacts_pulled_total", "Artifacts brought from the remote.", [("", audit.Sum(a => Count(a, "pulled")))]);
        Counter(text, "agent_sync_conflicts_total", "Concurrent edits met by push or pull.",
            [("resolution=\"auto\"", audit.Sum(a => Count(a, "merged"))), ("resolution=\"manual\"", audit.Sum(a => Count(a, "conflicts")))]);
        var errors = audit.Where(a => a.Outcome is "error" or "refused").GroupBy(a => a.Operation).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ($"operation=\"{g.Key}\"", (double)g.Count())).ToList();
        Counter(text, "agent_sync_errors_total", "Operations that failed or had input refused.", errors.Count > 0 ? errors : [("", 0)]);
        text.AppendLine("# HELP agent_sync_queue_length Changes waiting in the outbox.");
        text.AppendLine("# TYPE agent_sync_queue_length gauge");
        Line(text, "agent_sync_queue_length", "", queueLength);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, IReadOnlyList<(string Labels, double Value)> samples)
    {
        text.AppendLine($"# HELP {name} {help}");
        text.AppendLine($"# TYPE {name} counter");
        foreach (var (labels, value) in samples)
            Line(text, name, labels, value);
    }

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').AppendLine(value.ToString("0.###", CultureInfo.InvariantCulture));

    private static double Count(AuditEntry entry, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(entry.Details);
            return document.RootElement.TryGetProperty("counts", out var counts) && counts.TryGetProperty(name, out var value) && value.TryGetDouble(out var n) ? n : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static double Number(string details, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.TryGetProperty(name, out var value) && value.TryGetDouble(out var n) ? n : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
