using System.Globalization;
using System.Text.Json;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Cli;

/// <summary>--trace prints spans on stderr, one line each, so stdout stays the command's output (--json included).</summary>
public sealed class TraceOutputTests
{
    [Fact]
    public async Task Spans_go_to_stderr_one_line_each_and_json_on_stdout_stays_valid()
    {
        using var workspace = new TempWorkspace();
        var remote = Path.Combine(workspace.Root, "team.db");
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init", "--remote", "file:" + remote, "--project", "p")).ExitCode);
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-traced.md", "# INFRA-001: Traced\n\n## State\n\nDRAFT\n");

        var push = await AgentCli.RunAsync(workspace.Root, "sync", "push", "--json", "--trace");

        Assert.Equal(0, push.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(push.Out).RootElement.GetProperty("pushed").GetArrayLength());
        var spans = push.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(spans, line => Assert.StartsWith("trace: ", line, StringComparison.Ordinal));
        var root = Assert.Single(spans, line => line.StartsWith("trace: agent push ", StringComparison.Ordinal));
        Assert.Contains("agent_sync.exit_code=0", root, StringComparison.Ordinal);
        Assert.DoesNotContain("parent_id=", root, StringComparison.Ordinal);
        var rootSpan = root.Split(' ').Single(part => part.StartsWith("span_id=", StringComparison.Ordinal))["span_id=".Length..];
        var batch = Assert.Single(spans, line => line.StartsWith("trace: push.batch ", StringComparison.Ordinal));
        Assert.Contains($"parent_id={rootSpan}", batch, StringComparison.Ordinal);
        Assert.Contains(spans, line => line.StartsWith("trace: remote.push ", StringComparison.Ordinal));
        // Every span says when it started, and a child never starts before its parent (unless midnight came between).
        var rootStart = Start(root);
        var batchStart = Start(batch);
        Assert.True(rootStart <= batchStart || rootStart - batchStart > TimeSpan.FromHours(23), $"{root}\n{batch}");
    }

    private static TimeSpan Start(string line) =>
        TimeSpan.ParseExact(line.Split(' ').Single(part => part.StartsWith("start=", StringComparison.Ordinal))["start=".Length..], @"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture);
}
