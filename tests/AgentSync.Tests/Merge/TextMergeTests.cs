using AgentSync.Artifacts;
using AgentSync.Merge;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

/// <summary>The plain line-level diff3 used for YAML journeys: git's rules, no sections.</summary>
public sealed class TextMergeTests
{
    private const string Journey =
        "id: JRN-004\n" +
        "title: Sync a story between two laptops\n" +
        "state: DRAFT\n" +
        "# Steps run in order; each names its actor.\n" +
        "steps:\n" +
        "  - actor: alice\n" +
        "    action: agent new-story INFRA\n" +
        "  - actor: alice\n" +
        "    action: agent sync push\n" +
        "  - actor: bob\n" +
        "    action: agent sync pull\n" +
        "assertions:\n" +
        "  - bob sees the story\n";

    [Theory]
    [InlineData(ArtifactKind.Journey, MergeFormat.Text)]
    [InlineData(ArtifactKind.Story, MergeFormat.Markdown)]
    [InlineData(ArtifactKind.Plan, MergeFormat.Markdown)]
    [InlineData(ArtifactKind.Runbook, MergeFormat.Markdown)]
    [InlineData(ArtifactKind.Adr, MergeFormat.Markdown)]
    public void Journeys_alone_merge_as_plain_text(ArtifactKind kind, MergeFormat format) =>
        Assert.Equal(format, MergeFormats.For(kind));

    [Fact]
    public void Edits_far_apart_merge()
    {
        var local = Journey.Edit("    action: agent new-story INFRA\n", "    action: agent new-story INFRA --title \"Cache\"\n");
        var remote = Journey.Edit("  - bob sees the story\n", "  - bob sees the story\n  - the cursor advanced\n");

        var result = ThreeWayMerge.Merge(Journey, local, remote, Label, MergeFormat.Text);

        Assert.Equal(local.Edit("  - bob sees the story\n", "  - bob sees the story\n  - the cursor advanced\n"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Adjacent_edits_conflict_as_in_git()
    {
        var local = Journey.Edit("  - actor: bob\n", "  - actor: carol\n");
        var remote = Journey.Edit("    action: agent sync pull\n", "    action: agent sync pull --json\n");

        var result = ThreeWayMerge.Merge(Journey, local, remote, Label, MergeFormat.Text);

        Assert.Equal(
            Journey.Edit("  - actor: bob\n    action: agent sync pull\n",
                "<<<<<<< local\n  - actor: carol\n    action: agent sync pull\n=======\n  - actor: bob\n    action: agent sync pull --json\n" +
                $">>>>>>> {Label}\n"),
            result.Text);
        Assert.Equal(1, result.ConflictCount);
    }

    [Fact]
    public void A_comment_line_is_not_a_heading()
    {
        // Read as markdown, the comment would open a section, and deleting it would meet the edit below as a conflict.
        var local = Journey.Edit("# Steps run in order; each names its actor.\n", "");
        var remote = Journey.Edit("  - actor: alice\n    action: agent sync push\n", "  - actor: alice\n    action: agent sync push --dry-run\n");

        var result = ThreeWayMerge.Merge(Journey, local, remote, Label, MergeFormat.Text);

        Assert.Equal(remote.Edit("# Steps run in order; each names its actor.\n", ""), result.Text);
        Assert.Equal(0, result.ConflictCount);
        Assert.Equal(1, ThreeWayMerge.Merge(Journey, local, remote, Label, MergeFormat.Markdown).ConflictCount);
    }

    [Fact]
    public void Overlapping_edits_keep_the_common_lines_outside_the_block()
    {
        var local = Journey.Edit("state: DRAFT\n", "state: REVIEW\n");
        var remote = Journey.Edit("state: DRAFT\n", "state: ACCEPTED\n");

        var result = ThreeWayMerge.Merge(Journey, local, remote, Label, MergeFormat.Text);

        Assert.Equal(Journey.Edit("state: DRAFT\n", $"<<<<<<< local\nstate: REVIEW\n=======\nstate: ACCEPTED\n>>>>>>> {Label}\n"), result.Text);
        Assert.Equal(1, result.ConflictCount);
    }
}
