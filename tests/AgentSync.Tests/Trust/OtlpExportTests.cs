using System.Collections.Concurrent;
using System.Text;
using AgentSync.Tests.Support;
using AgentSync.Tests.Support.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentSync.Tests.Trust;

/// <summary>
/// The real agent exports its spans and metrics over OTLP/HTTP when the standard variables say so. The collector is a
/// loopback Kestrel endpoint that keeps what it receives; OTLP protobuf carries names as plain UTF-8, so the spans
/// are found by their names in the bodies.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_and_metrics_of_a_push_reach_an_otlp_http_collector()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await LoopbackHost.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext http, string signal) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue(("/v1/" + signal, body.ToArray()));
            return Results.Ok();
        }));
        using var workspace = new TempWorkspace();
        var remote = Path.Combine(workspace.Root, "team.db");
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init", "--remote", "file:" + remote, "--project", "p")).ExitCode);
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-exported.md", "# INFRA-001: Exported\n\n## State\n\nDRAFT\n");
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

        var push = await AgentCli.RunAsync(workspace.Root, null, environment, "sync", "push");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal("", push.Error);
        var traces = Text(received.Where(r => r.Path == "/v1/traces"));
        Assert.Contains("agent push", traces, StringComparison.Ordinal);
        Assert.Contains("push.batch", traces, StringComparison.Ordinal);
        Assert.Contains("remote.push", traces, StringComparison.Ordinal);
        Assert.Contains("agent-sync", traces, StringComparison.Ordinal);
        Assert.Contains("agent_sync.operation.duration", Text(received.Where(r => r.Path == "/v1/metrics")), StringComparison.Ordinal);
    }

    private static string Text(IEnumerable<(string Path, byte[] Body)> requests) =>
        string.Concat(requests.Select(r => Encoding.UTF8.GetString(r.Body)));
}
