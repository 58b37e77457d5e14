using AgentSync.Merge;
using FsCheck.Xunit;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

/// <summary>
/// The laws of a three-way merge, checked on generated stories. Each law is checked on the public entry point
/// and on the merge proper (without its shortcuts), in both formats, so the shortcuts cannot hide a bug.
/// </summary>
[Properties(Arbitrary = [typeof(MergeArbitraries)], MaxTest = 200)]
public sealed class MergeProperties
{
    [Property]
    public void Merging_an_untouched_remote_gives_local(MergeScenario scenario)
    {
        var (@base, local) = (scenario.Base.Render(), scenario.Local.Render());

        AssertAllWays(@base, local, @base, local);
    }

    [Property]
    public void Merging_an_untouched_local_gives_remote(MergeScenario scenario)
    {
        var (@base, remote) = (scenario.Base.Render(), scenario.Remote.Render());

        AssertAllWays(@base, @base, remote, remote);
    }

    [Property]
    public void Merging_identical_sides_gives_that_side(MergeScenario scenario)
    {
        // Both sides of the scenario applied to one copy: edits all over the document, made twice.
        var both = scenario.Expected.Render();

        AssertAllWays(scenario.Base.Render(), both, both, both);
    }

    [Property]
    public void Restructuring_on_one_side_comes_through_unchanged(RestructuredScenario scenario)
    {
        var (@base, changed) = (scenario.Base.Render(), scenario.Changed.Render());

        AssertAllWays(@base, changed, @base, changed);
        AssertAllWays(@base, @base, changed, changed);
        AssertAllWays(@base, changed, changed, changed);
    }

    [Property]
    public void Edits_in_different_sections_merge_cleanly_into_both_edits(MergeScenario scenario)
    {
        var result = ThreeWayMerge.Merge(scenario.Base.Render(), scenario.Local.Render(), scenario.Remote.Render(), Label);
        var proper = ThreeWayMerge.MergeChanged(scenario.Base.Render(), scenario.Local.Render(), scenario.Remote.Render(), Label, MergeFormat.Markdown);

        Assert.Equal(0, result.ConflictCount);
        Assert.Equal(scenario.Expected.Render(), result.Text);
        Assert.Equal(result, proper);
        Assert.All(scenario.AddedLines, line => Assert.Contains(line, result.Text, StringComparison.Ordinal));
    }

    [Property]
    public void Edits_of_different_lines_merge_cleanly_even_next_to_each_other(LineEditScenario lines)
    {
        var scenario = lines.Scenario;

        var result = ThreeWayMerge.Merge(scenario.Base.Render(), scenario.Local.Render(), scenario.Remote.Render(), Label);

        Assert.Equal(scenario.Expected.Render(), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Property]
    public void A_conflict_never_loses_a_line_either_side_added(MergeScenario scenario)
    {
        // Local and remote edit the same sections here, so conflicts are expected; lost lines are not.
        var local = scenario.Local.Render();
        var remote = scenario.Local.Render().Replace("by local", "by remote", StringComparison.Ordinal);

        var result = ThreeWayMerge.Merge(scenario.Base.Render(), local, remote, Label);

        Assert.All(MergeScenario.AddedBy(scenario.Local), line =>
        {
            Assert.Contains(line, result.Text, StringComparison.Ordinal);
            Assert.Contains(line.Replace("by local", "by remote", StringComparison.Ordinal), result.Text, StringComparison.Ordinal);
        });
        Assert.Equal(CountOf(result.Text, "<<<<<<< local"), result.ConflictCount);
        Assert.Equal(CountOf(result.Text, ">>>>>>> " + Label), result.ConflictCount);
    }

    [Property]
    public void Concurrent_edits_keep_every_added_line_and_count_their_conflicts(ConcurrentEditScenario scenario)
    {
        foreach (var format in new[] { MergeFormat.Markdown, MergeFormat.Text })
        {
            var result = ThreeWayMerge.Merge(scenario.Base.Render(), scenario.Local.Render(), scenario.Remote.Render(), Label, format);

            Assert.All(MergeScenario.AddedBy(scenario.Local).Concat(MergeScenario.AddedBy(scenario.Remote)), line =>
                Assert.Contains(line, result.Text, StringComparison.Ordinal));
            Assert.Equal(CountOf(result.Text, "<<<<<<< local"), result.ConflictCount);
            Assert.Equal(CountOf(result.Text, "======="), result.ConflictCount);
            Assert.Equal(CountOf(result.Text, ">>>>>>> " + Label), result.ConflictCount);
        }
    }

    private static void AssertAllWays(string @base, string local, string remote, string expected)
    {
        foreach (var format in new[] { MergeFormat.Markdown, MergeFormat.Text })
        {
            Assert.Equal(new MergeResult(expected, 0), ThreeWayMerge.Merge(@base, local, remote, Label, format));
            Assert.Equal(new MergeResult(expected, 0), ThreeWayMerge.MergeChanged(@base, local, remote, Label, format));
        }
    }

    private static int CountOf(string text, string marker) =>
        text.Split(marker).Length - 1;
}
