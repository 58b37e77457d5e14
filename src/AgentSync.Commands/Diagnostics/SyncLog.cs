using AgentSync.Diagnostics;
using AgentSync.Scrubbing;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace AgentSync.Commands.Diagnostics;

/// <summary>
/// One structured line per operation and per error in <c>.agent/logs/sync.jsonl</c> (compact JSON, rotated by size,
/// shared safely by concurrent processes), mirrored readably to stderr under --verbose. Every text that could carry a
/// credential goes through <see cref="SecretMasker"/> first.
/// </summary>
internal static class SyncLog
{
    public const long MaxFileBytes = 10 * 1024 * 1024;

    public static void Write(string? logDirectory, Operation operation, string user, string outcome, int exitCode, string? error, Exception? exception, bool verbose, TextWriter stderr)
    {
        if (logDirectory is null && !verbose)
            return;
        var configuration = new LoggerConfiguration().MinimumLevel.Debug();
        if (logDirectory is not null)
        {
            configuration = configuration.WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(logDirectory, "sync.jsonl"),
                fileSizeLimitBytes: MaxFileBytes,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 5,
                shared: true);
        }

        if (verbose)
            configuration = configuration.WriteTo.Sink(new ReadableSink(stderr));
        using var logger = configuration.CreateLogger();
        var level = exitCode is 0 or 1 ? LogEventLevel.Information : exitCode == 75 ? LogEventLevel.Warning : LogEventLevel.Error;
        logger
            .ForContext("operation", operation.Name)
            .ForContext("user", user)
            .ForContext("artifact_ids", operation.Artifacts.Select(a => a.Id).Distinct().ToArray())
            .ForContext("counts", new Dictionary<string, long>(operation.Counts))
            .ForContext("problems", operation.Problems.Select(SecretMasker.Mask).ToArray())
            .ForContext("duration_ms", Math.Round(operation.DurationMs, 1))
            .ForContext("exit_code", exitCode)
            .ForContext("error", error is null ? null : SecretMasker.Mask(error))
            .Write(level, exception is null ? null : new MaskedException(exception), "{event} {operation} by {user}: {outcome} in {duration_ms} ms",
                error is null ? "operation.completed" : "operation.failed", operation.Name, user, outcome, Math.Round(operation.DurationMs, 1));
    }

    /// <summary>--verbose: the same events as readable lines on stderr.</summary>
    private sealed class ReadableSink(TextWriter writer) : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            writer.WriteLine($"[{logEvent.Level}] {logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            if (logEvent.Exception is { } exception)
                writer.WriteLine(exception.ToString());
        }
    }

    /// <summary>Stack traces go to the log for on-call; their messages are masked like everything else.</summary>
    private sealed class MaskedException(Exception inner) : Exception(SecretMasker.Mask(inner.Message))
    {
        public override string? StackTrace => inner.StackTrace;

        public override string ToString() => $"{inner.GetType().FullName}: {Message}{Environment.NewLine}{StackTrace}";
    }
}
