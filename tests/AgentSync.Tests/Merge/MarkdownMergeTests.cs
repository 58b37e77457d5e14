using AgentSync.Merge;
using static AgentSync.Tests.Merge.MergeCorpus;

namespace AgentSync.Tests.Merge;

public sealed class MarkdownMergeTests
{
    private const string Criterion = "- [ ] It executes the flows using `maestro test <flow.yaml>`.";
    private const string CriterionEdited = "- [ ] It executes the flows using `maestro test <flow.yaml>` and collects JUnit reports.";
    private const string Stub = "is currently a stub.";
    private const string StubEdited = "is currently a stub that only prints a warning.";

    [Fact]
    public void Edits_in_different_sections_merge()
    {
        var @base = Load(UiTests);
        var local = @base.Edit(Criterion, CriterionEdited);
        var remote = @base.Edit(Stub, StubEdited);

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit(Stub, StubEdited), result.Text);
        Assert.False(result.HasConflicts);
    }

    [Fact]
    public void A_ticked_checkbox_and_an_edit_of_the_next_line_merge()
    {
        var @base = Load(UiTests);
        var local = @base.Edit("- [ ] It looks for Maestro flows", "- [x] It looks for Maestro flows");
        var remote = @base.Edit(Criterion, CriterionEdited);

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote.Edit("- [ ] It looks for Maestro flows", "- [x] It looks for Maestro flows"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_ticked_checkbox_and_an_edit_in_another_section_merge()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("- [ ] **Scenario 3**", "- [x] **Scenario 3**");
        var remote = @base.Edit("- Revert code changes.", "- Revert code changes and remove the `list-models` entry from the help text.");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote.Edit("- [ ] **Scenario 3**", "- [x] **Scenario 3**"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Identical_edits_on_both_sides_are_not_a_conflict()
    {
        var @base = Load(UiTests);
        var local = @base.Edit("- [ ] It looks for", "- [x] It looks for").Edit(Stub, StubEdited);
        var remote = @base.Edit("- [ ] It looks for", "- [x] It looks for").Edit("- Remove `README.md` entries.\n", "- Remove `README.md` entries.\n- Delete `tests/ui/login_flow.yaml`.\n");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("- Remove `README.md` entries.\n", "- Remove `README.md` entries.\n- Delete `tests/ui/login_flow.yaml`.\n"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_renamed_heading_and_an_edit_of_its_first_body_line_merge()
    {
        var @base = Load(UiTests);
        var local = @base.Edit("## Problem Statement\n", "## Problem\n");
        var remote = @base.Edit(Stub, StubEdited);

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);
        var mirrored = ThreeWayMerge.Merge(@base, remote, local, Label);

        var expected = local.Edit(Stub, StubEdited);
        Assert.Equal(expected, result.Text);
        Assert.Equal(0, result.ConflictCount);
        Assert.Equal(expected, mirrored.Text);
        Assert.Equal(0, mirrored.ConflictCount);
    }

    [Fact]
    public void A_renamed_heading_and_a_rewritten_body_merge()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("## Linked ADRs\n", "## Related ADRs\n");
        var remote = @base.Edit("## Linked ADRs\n- N/A\n", "## Linked ADRs\n- ADR-012: provider registry\n- ADR-015: model catalogue\n");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(remote.Edit("## Linked ADRs\n", "## Related ADRs\n"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Headings_renamed_differently_conflict_on_the_heading_alone()
    {
        var @base = Load(UiTests);
        var local = @base.Edit("## Problem Statement\n", "## Problem\n");
        var remote = @base.Edit("## Problem Statement\n", "## Motivation\n").Edit(Stub, StubEdited);

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        var expected = remote.Edit("## Motivation\n", $"<<<<<<< local\n## Problem\n=======\n## Motivation\n>>>>>>> {Label}\n");
        Assert.Equal(expected, result.Text);
        Assert.Equal(1, result.ConflictCount);
    }

    [Fact]
    public void Adjacent_edits_in_different_sections_merge()
    {
        // The real story with its blank lines before headings removed, so the last line of one section
        // directly precedes the heading of the next: git would call these edits a conflict.
        var @base = Load(UiTests).Replace("\n\n## ", "\n## ", StringComparison.Ordinal);
        var local = @base.Edit("- [ ] Returns proper exit code based on Maestro's output.", "- [ ] Returns exit code 1 when any Maestro flow fails.");
        var remote = @base.Edit("## Non-Functional Requirements", "## Non-Functional Requirements (NFRs)");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("## Non-Functional Requirements", "## Non-Functional Requirements (NFRs)"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_line_appended_to_a_section_and_a_rename_of_the_next_heading_merge()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("- N/A\n\n## Impact", "- N/A\n\nSee also the provider matrix in the README.\n## Impact");
        var remote = @base.Edit("## Impact Analysis Summary", "## Impact Analysis");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("## Impact Analysis Summary", "## Impact Analysis"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void An_overlapping_edit_of_one_line_gives_exactly_one_conflict_block()
    {
        var @base = Load(UiTests);
        const string line = "- [ ] It looks for Maestro flows (`.yaml` files) in `tests/ui/` or `.maestro/`.\n";
        var local = @base.Edit(line, "- [ ] It looks for Maestro flows (`.yaml` files) in `tests/ui/`.\n");
        var remote = @base.Edit(line, "- [ ] It looks for Maestro flows in `.maestro/` only.\n");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        var expected = @base.Edit(line,
            "<<<<<<< local\n" +
            "- [ ] It looks for Maestro flows (`.yaml` files) in `tests/ui/`.\n" +
            "=======\n" +
            "- [ ] It looks for Maestro flows in `.maestro/` only.\n" +
            ">>>>>>> remote v7 (bob@example.com)\n");
        Assert.Equal(expected, result.Text);
        Assert.Equal(1, result.ConflictCount);
        Assert.True(result.HasConflicts);
    }

    [Fact]
    public void Sections_added_at_the_end_on_both_sides_conflict()
    {
        var @base = Load(ListModels);
        var local = @base + "\n## Notes\nRate limits apply to list calls.\n";
        var remote = @base + "\n## Open Questions\n- Should the model list be cached?\n";

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        // Both added the blank line before their section: that much is agreed and stays outside the block.
        var expected = @base + "\n" +
            "<<<<<<< local\n" +
            "## Notes\nRate limits apply to list calls.\n" +
            "=======\n" +
            "## Open Questions\n- Should the model list be cached?\n" +
            $">>>>>>> {Label}\n";
        Assert.Equal(expected, result.Text);
        Assert.Equal(1, result.ConflictCount);
    }

    [Fact]
    public void The_same_section_added_on_both_sides_is_kept_once()
    {
        var @base = Load(ListModels);
        var added = "\n## Notes\nRate limits apply to list calls.\n";
        var local = (@base + added).Edit("- [ ] **Scenario 1**", "- [x] **Scenario 1**");
        var remote = @base + added;

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local, result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Sections_added_at_different_places_merge()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("## Linked ADRs\n", "## Dependencies\n- `gh` CLI 2.40 or later\n\n## Linked ADRs\n");
        var remote = @base + "\n## Notes\nRate limits apply to list calls.\n";

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local + "\n## Notes\nRate limits apply to list calls.\n", result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_section_deleted_on_one_side_and_edited_on_the_other_conflicts()
    {
        var @base = Load(ListModels);
        var deleted = @base.Edit("## Linked ADRs\n- N/A\n\n", "");
        var edited = @base.Edit("## Linked ADRs\n- N/A\n", "## Linked ADRs\n- ADR-012: provider registry\n");

        var localDeleted = ThreeWayMerge.Merge(@base, deleted, edited, Label);
        var remoteDeleted = ThreeWayMerge.Merge(@base, edited, deleted, Label);

        Assert.Equal(
            @base.Edit("## Linked ADRs\n- N/A\n\n", $"<<<<<<< local\n=======\n## Linked ADRs\n- ADR-012: provider registry\n\n>>>>>>> {Label}\n"),
            localDeleted.Text);
        Assert.Equal(1, localDeleted.ConflictCount);
        Assert.Equal(
            @base.Edit("## Linked ADRs\n- N/A\n\n", $"<<<<<<< local\n## Linked ADRs\n- ADR-012: provider registry\n\n=======\n>>>>>>> {Label}\n"),
            remoteDeleted.Text);
        Assert.Equal(1, remoteDeleted.ConflictCount);
    }

    [Fact]
    public void A_section_deleted_on_one_side_and_untouched_on_the_other_is_deleted()
    {
        var @base = Load(ListModels);
        var local = @base.Edit("## Linked ADRs\n- N/A\n\n", "");
        var remote = @base.Edit("- [ ] **Scenario 2**", "- [x] **Scenario 2**");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("- [ ] **Scenario 2**", "- [x] **Scenario 2**"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void A_heading_inside_a_fenced_code_block_does_not_split_a_section()
    {
        // INFRA-007 quotes a story, "## Impact Analysis Summary" included, inside a ```markdown fence. Read as a
        // heading, deleting it would look like deleting a section that the other side edited.
        var @base = Load(ImpactCommand);
        var local = @base.Edit("```markdown\n## Impact Analysis Summary\n\n", "```markdown\n");
        var remote = @base.Edit("- `agent/core/ai/prompts.py` (new)", "- `agent/core/ai/prompts.py` (new, with the prompt templates)");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(local.Edit("- `agent/core/ai/prompts.py` (new)", "- `agent/core/ai/prompts.py` (new, with the prompt templates)"), result.Text);
        Assert.Equal(0, result.ConflictCount);
    }

    [Fact]
    public void Both_sides_appending_to_the_same_list_conflict()
    {
        var @base = Load(UiTests);
        const string last = "- [ ] Returns proper exit code based on Maestro's output.\n";
        var local = @base.Edit(last, last + "- [ ] Supports `--device` to pick a simulator.\n");
        var remote = @base.Edit(last, last + "- [ ] Writes a JUnit report to `build/ui-tests.xml`.\n");

        var result = ThreeWayMerge.Merge(@base, local, remote, Label);

        Assert.Equal(
            @base.Edit(last, last + $"<<<<<<< local\n- [ ] Supports `--device` to pick a simulator.\n=======\n- [ ] Writes a JUnit report to `build/ui-tests.xml`.\n>>>>>>> {Label}\n"),
            result.Text);
        Assert.Equal(1, result.ConflictCount);
    }
}
