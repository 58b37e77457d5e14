using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentSync.Scrubbing;
using Xunit.Abstractions;

namespace AgentSync.Tests.Scrubbing;

public sealed class ScanPerformanceTests(ITestOutputHelper output)
{
    private const int Runs = 100;

    [Fact]
    public void Scanning_50_kb_of_markdown_takes_well_under_5_ms()
    {
        var content = FiftyKilobytesOfMarkdown();
        var scanner = new ContentScanner(PiiPolicy.Default);
        for (var i = 0; i < 20; i++)
            Assert.Equal(3, scanner.Scan(content).Count);

        var cpuBefore = ThreadCpuTime();
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < Runs; i++)
            scanner.Scan(content);
        wall.Stop();
        var cpuAfter = ThreadCpuTime();

        // The machine is shared and other tests run in parallel: the CPU time of this thread is what the scan costs,
        // wall time also measures the neighbours. Where the OS does not expose it, fall back to wall time.
        var perScan = (cpuAfter - cpuBefore ?? wall.Elapsed) / Runs;
        output.WriteLine($"{content.Length} chars: {perScan.TotalMilliseconds:F2} ms per scan ({(cpuBefore is null ? "wall" : "thread CPU")} time), {wall.Elapsed.TotalMilliseconds / Runs:F2} ms wall");
        Assert.True(perScan < TimeSpan.FromMilliseconds(5), $"scanning {content.Length} chars took {perScan.TotalMilliseconds:F2} ms");
    }

    internal static string FiftyKilobytesOfMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# INFRA-004: Sync artifacts\n\n## State\n\nIn Progress\n\n");
        var section = 0;
        while (text.Length < 50_000)
        {
            section++;
            text.Append("## Section ").Append(section).Append("\n\n")
                .Append("- [ ] Push 1,000 artifacts in under 2 s on 127.0.0.1:5432 (see INFRA-").Append(100 + section).Append(").\n")
                .Append("- [x] `agent sync pull --json` prints {\"pulled\": [...]} ; version 1.2.").Append(section).Append('\n')
                .Append("Reviewer @Security checks `@pytest.mark.journey` tests and alice@example.com signs off.\n")
                .Append("```python\ndef push(token: str, password: Optional[str] = None) -> int:\n    return len(token)\n```\n\n");
        }

        text.Append("Contact bob@acme.io or +44 20 7946 0958; key AKIA").Append("QWERTYUIOPASDFGH").Append('\n');
        return text.ToString();
    }

    /// <summary>User plus system time of the calling thread from /proc (Linux), in clock ticks of 10 ms.</summary>
    private static TimeSpan? ThreadCpuTime()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat))
            return null;

        var text = File.ReadAllText(stat);
        // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
