using AgentSync.Merge;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

public sealed class MergeBytesTests
{
    private const string Looks = "- [ ] It looks for Maestro flows (`.yaml` files) in `tests/ui/` or `.maestro/`.";

    public static TheoryData<string> CorpusFiles() => [.. All];

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Merging_a_file_with_itself_gives_it_back_byte_for_byte(string name)
    {
        var text = Load(name);
        foreach (var variant in new[] { text, Crlf(text), "\uFEFF" + text, text.TrimEnd('\n') })
        {
            Assert.Equal(variant, ThreeWayMerge.Merge(variant, variant, variant, Label).Text);
            Assert.Equal(variant, ThreeWayMerge.MergeChanged(variant, variant, variant, Label, MergeFormat.Markdown).Text);
            Assert.Equal(variant, ThreeWayMerge.MergeChanged(variant, variant, variant, Label, MergeFormat.Text).Text);
        }
    }

    [Fact]
    public void A_crlf_file_keeps_crlf_in_the_result_and_in_the_markers()
    {
        var @base = Crlf(Load(UiTests));
        var local = @base.Edit(Looks, "- [ ] It looks for Maestro flows in `tests/ui/`.").Edit("is currently a stub.", "is a stub.");
        var remote = @base.Edit(Looks, "- [ ] It looks for Maestro flows in `.maestro/` only.");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        var expected = @base.Edit("is currently a stub.", "is a stub.").Edit(Looks + "\r\n",
            "<<<<<<< local\r\n" +
            "- [ ] It looks for Maestro flows in `tests/ui/`.\r\n" +
            "=======\r\n" +
            "- [ ] It looks for Maestro flows in `.maestro/` only.\r\n" +
            $">>>>>>> {Label}\r\n");
        Assert.Equal(expected, result.Text);
        Assert.Equal(1, result.ConflictCount);
        Assert.DoesNotContain("\n", result.Text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_line_endings_survive_a_clean_merge()
    {
        // The first half CRLF, the rest LF: the kind of file an editor on Windows leaves behind.
        var lf = Load(ListModels);
        var half = lf.IndexOf("## Non-Functional", StringComparison.Ordinal);
        var @base = Crlf(lf[..half]) + lf[half..];
        var local = @base.Edit("- [ ] **Scenario 4**", "- [x] **Scenario 4**");
        var remote = @base.Edit("- Revert code changes.\n", "- Revert code changes.\n- Drop the cached model list.\n");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("- Revert code changes.\n", "- Revert code changes.\n- Drop the cached model list.\n"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_missing_trailing_newline_stays_missing()
    {
        var @base = Load(AntiDrift);
        Assert.EndsWith("## Rollback Plan", @base, StringComparison.Ordinal);
        var local = @base.Edit("- [x] **ADR-016**", "- [ ] **ADR-016**");
        var remote = @base.Edit("Coniguration", "Configuration");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("Coniguration", "Configuration"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_conflict_on_a_last_line_without_newline_still_closes_its_markers()
    {
        var @base = Load(AntiDrift);
        var local = @base.Edit("## Rollback Plan", "## Rollback");
        var remote = @base.Edit("## Rollback Plan", "## Rollback Steps");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(@base.Edit("## Rollback Plan", $"<<<<<<< local\n## Rollback\n=======\n## Rollback Steps\n>>>>>>> {Label}\n"), result.Text);
        Assert.Equal(1, result.ConflictCount);
    }

    [Fact]
    public void Appending_after_a_last_line_without_newline_merges_with_an_edit_elsewhere()
    {
        var @base = Load(AntiDrift);
        var local = @base + "\n- Revert the rule file.";
        var remote = @base.Edit("Coniguration", "Configuration");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote + "\n- Revert the rule file.", result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_line_added_after_an_unterminated_last_line_merges_with_an_edit_of_that_line()
    {
        // git sees "## Rollback Plan" become "## Rollback Plan\n" on one side and calls it a conflict.
        var @base = Load(AntiDrift);
        var local = @base + "\n- Revert the rule file.";
        var remote = @base.Edit("## Rollback Plan", "## Rollback");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote + "\n- Revert the rule file.", result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_final_newline_added_on_one_side_is_kept()
    {
        var @base = Load(AntiDrift);
        var local = @base + "\n";
        var remote = @base.Edit("Coniguration", "Configuration");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote + "\n", result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_byte_order_mark_is_kept()
    {
        var @base = "\uFEFF" + Load(UiTests);
        var local = @base.Edit("- [ ] It supports", "- [x] It supports");
        var remote = @base.Edit("INFRA-008", "INFRA-008, INFRA-012");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("INFRA-008", "INFRA-008, INFRA-012"), result.Text);
        Assert.StartsWith("\uFEFF# INFRA-009", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_added_on_one_side_merges_with_an_edit_of_the_first_line()
    {
        var @base = Load(UiTests);
        var local = "\uFEFF" + @base;
        var remote = @base.Edit("# INFRA-009: Implement UI Tests Runner", "# INFRA-009: Implement the Maestro UI Tests Runner");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal("\uFEFF" + remote, result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Unicode_text_is_carried_unchanged()
    {
        var @base = Load(DistributedCache);
        Assert.Contains("SQLite ↔ Markdown ↔ Git ↔ Supabase", @base, StringComparison.Ordinal);
        var local = @base.Edit("SQLite ↔ Markdown ↔ Git ↔ Supabase", "SQLite ↔ Markdown ↔ Git ↔ Supabase ✓");
        var remote = @base.Edit("Developer A creates story → pushes", "Développeur A crée une story → pushes");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("Developer A creates story → pushes", "Développeur A crée une story → pushes"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_newline_in_the_label_cannot_forge_a_line()
    {
        var result = ThreeWayMerge.Merge("a\n", "b\n", "c\n", "remote v2\n(eve)");

        Assert.Equal("<<<<<<< local\nb\n=======\nc\n>>>>>>> remote v2 (eve)\n", result.Text);
    }

    private static string Crlf(string text) => text.Replace("\n", "\r\n", StringComparison.Ordinal);
}
