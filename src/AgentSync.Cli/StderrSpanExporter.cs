using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentSync.Scrubbing;
using OpenTelemetry;

namespace AgentSync.Cli;

/// <summary>
/// What <c>--trace</c> prints: one line per span on stderr, as it ends (children before their parent). Stdout stays
/// the command's own output, so <c>--json --trace</c> still prints one JSON document there, the way GIT_TRACE keeps
/// git's output clean. Values are masked like every other line the agent prints. Each line says when its span started
/// (UTC, to the microsecond, like GIT_TRACE's clock): durations say how long, start times say what overlapped.
/// </summary>
internal sealed class StderrSpanExporter(TextWriter error) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
            error.WriteLine(SecretMasker.Mask(Format(activity)));
        error.Flush();
        return ExportResult.Success;
    }

    internal static string Format(Activity activity)
    {
        var line = new StringBuilder("trace: ")
            .Append(activity.DisplayName).Append(' ')
            .Append(activity.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms")
            .Append(" start=").Append(activity.StartTimeUtc.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
            .Append(" trace_id=").Append(activity.TraceId.ToHexString())
            .Append(" span_id=").Append(activity.SpanId.ToHexString());
        if (activity.ParentSpanId != default)
            line.Append(" parent_id=").Append(activity.ParentSpanId.ToHexString());
        if (activity.Status != ActivityStatusCode.Unset)
            line.Append(" status=").Append(activity.Status);
        foreach (var (key, value) in activity.TagObjects)
            line.Append(' ').Append(key).Append('=').Append(OneLine(Convert.ToString(value, CultureInfo.InvariantCulture)));
        return line.ToString();
    }

    /// <summary>A statement's text spans lines; a span is one line, so grep finds it whole.</summary>
    private static string? OneLine(string? value) =>
        value?.ReplaceLineEndings(" ");
}
