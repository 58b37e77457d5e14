using AgentSync.Merge;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

public sealed class MergeEdgeCaseTests
{
    [Theory]
    [InlineData(MergeFormat.Markdown)]
    [InlineData(MergeFormat.Text)]
    public void Two_files_created_apart_with_different_content_conflict_as_a_whole(MergeFormat format)
    {
        var result = ThreeWayMerge.Merge("", "# A\nx\n", "# A\ny\n", Label, format);

        Assert.Equal($"# A\n<<<<<<< local\nx\n=======\ny\n>>>>>>> {Label}\n", result.Text);
        Assert.Equal(1, result.ConflictCount);
    }

    [Theory]
    [InlineData(MergeFormat.Markdown)]
    [InlineData(MergeFormat.Text)]
    public void Emptied_on_both_sides_is_empty(MergeFormat format)
    {
        var @base = Load(UiTests);

        Assert.Equal(new MergeResult("", 0), ThreeWayMerge.MergeChanged(@base, "", "", Label, format));
    }

    [Fact]
    public void Emptied_on_one_side_and_edited_on_the_other_conflicts()
    {
        var @base = Load(UiTests);
        var remote = @base.Edit("- [ ] It supports", "- [x] It supports");

        var result = ThreeWayMerge.Merge(@base, "", remote, Label);

        Assert.True(result.HasConflicts);
        Assert.Contains("- [x] It supports", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_deleted_on_both_sides_is_gone()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("## Linked ADRs\n- N/A\n\n", "").Edit("- [ ] **Negative Test**", "- [x] **Negative Test**");
        var remote = @base.Edit("## Linked ADRs\n- N/A\n\n", "");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(new MergeResult(local, 0), result);
    }

    [Fact]
    public void Conflict_counts_do_not_depend_on_which_side_is_local()
    {
        var @base = Load(UiTests);
        var local = @base.Edit("## Problem Statement\n", "## Problem\n").Edit("- [ ] It supports", "- [x] It supports");
        var remote = @base.Edit("## Problem Statement\n", "## Motivation\n").Edit("- [ ] It supports", "- [ ] It no longer supports");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);
        var mirrored = ThreeWayMerge.Merge(@base, remote, local, Label);

        Assert.Equal(2, result.ConflictCount);
        Assert.Equal(2, mirrored.ConflictCount);
    }
}
