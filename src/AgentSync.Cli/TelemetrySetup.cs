using AgentSync.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentSync.Cli;

/// <summary>
/// Wires the OpenTelemetry SDK, and only when asked for: --trace prints spans on stderr, the standard
/// OTEL_EXPORTER_OTLP_* variables export traces and metrics over OTLP. Otherwise nothing here is even loaded.
/// </summary>
internal static class TelemetrySetup
{
    public static bool Wanted(string[] args) =>
        args.Contains("--trace", StringComparer.Ordinal) || OtlpConfigured();

    public static IDisposable Start(string[] args)
    {
        var console = args.Contains("--trace", StringComparer.Ordinal);
        var otlp = OtlpConfigured();
        var resource = ResourceBuilder.CreateDefault().AddService("agent-sync", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString());
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Telemetry.Name)
            .AddHttpClientInstrumentation()
            .AddNpgsql();
        if (console)
            tracing.AddProcessor(new SimpleActivityExportProcessor(new StderrSpanExporter(Console.Error)));
        if (otlp)
            tracing.AddOtlpExporter();
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Telemetry.Name);
        if (otlp)
            metrics.AddOtlpExporter();
        return new Providers(tracing.Build(), metrics.Build());
    }

    private static bool OtlpConfigured() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));

    private sealed class Providers(TracerProvider? tracer, MeterProvider? meter) : IDisposable
    {
        public void Dispose()
        {
            // Disposing flushes: spans of a short-lived command must leave before the process does.
            tracer?.Dispose();
            meter?.Dispose();
        }
    }
}
