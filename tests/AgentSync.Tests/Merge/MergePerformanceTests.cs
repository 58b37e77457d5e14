using System.Diagnostics;
using System.Text;
using AgentSync.Merge;
using Xunit.Abstractions;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

public sealed class MergePerformanceTests(ITestOutputHelper output)
{
    /// <summary>About 50 KB of real stories, one after the other, each heading made unique.</summary>
    private static string LargeStory()
    {
        var text = new StringBuilder();
        for (var copy = 0; text.Length < 50_000; copy++)
        {
            foreach (var name in All)
            {
                text.Append(Load(name).Replace("## ", $"## [{copy}] ", StringComparison.Ordinal)).Append('\n');
            }
        }

        return text.ToString();
    }

    [Fact]
    public void Merging_two_edited_50_KB_files_takes_well_under_a_millisecond_per_KB()
    {
        var @base = LargeStory();
        var lines = @base.Split('\n');
        var local = (string[])lines.Clone();
        var remote = (string[])lines.Clone();
        for (var i = 0; i < lines.Length; i += 40)
        {
            local[i] += " (edited locally)";
            remote[i + 20] += " (edited remotely)";
        }

        var elapsed = BestOf(5, () =>
        {
            var result = ThreeWayMerge.Merge(@base, string.Join('\n', local), string.Join('\n', remote), Label);
            Assert.Equal(0, result.ConflictCount);
        });

        output.WriteLine($"{@base.Length / 1024} KB, {lines.Length} lines: {elapsed.TotalMilliseconds:F2} ms");
        Assert.True(elapsed < TimeSpan.FromMilliseconds(@base.Length / 1024 / 2), $"took {elapsed.TotalMilliseconds:F2} ms");
    }

    [Theory]
    [InlineData(MergeFormat.Markdown)]
    [InlineData(MergeFormat.Text)]
    public void Merging_two_unrelated_50_KB_rewrites_stays_fast(MergeFormat format)
    {
        // The worst realistic case for an O(ND) diff: nearly every line differs, so D is close to N.
        var @base = LargeStory();
        var local = string.Join('\n', @base.Split('\n').Select((l, i) => i % 7 == 0 ? l : l + " L"));
        var remote = string.Join('\n', @base.Split('\n').Select(l => "R " + l));

        var elapsed = BestOf(3, () => Assert.True(ThreeWayMerge.Merge(@base, local, remote, Label, format).HasConflicts));

        output.WriteLine($"{@base.Length / 1024} KB rewritten on both sides, {format}: {elapsed.TotalMilliseconds:F2} ms");
        Assert.True(elapsed < TimeSpan.FromMilliseconds(@base.Length / 1024 * 2), $"took {elapsed.TotalMilliseconds:F2} ms");
    }

    private static TimeSpan BestOf(int runs, Action action)
    {
        action();
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        return best;
    }
}
