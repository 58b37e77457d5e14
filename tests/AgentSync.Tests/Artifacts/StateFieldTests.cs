using System.Text;
using AgentSync.Artifacts;

namespace AgentSync.Tests.Artifacts;

public sealed class StateFieldTests
{
    [Theory]
    [InlineData("# X-1: T\n\n## State\n\nDRAFT\n\n## Problem\n", "DRAFT")]
    [InlineData("# X-1: T\n\n## State\nAPPROVED\n", "APPROVED")]
    [InlineData("# X-1: T\r\n\r\n## Status\r\n\r\nREVIEW_NEEDED\r\n", "REVIEW_NEEDED")]
    [InlineData("# X-1: T\n\nStatus: COMMITTED\n\n## Problem\n", "COMMITTED")]
    [InlineData("# X-1: T\n\n## Problem\n\n**Status: TODO**\n", null)]
    [InlineData("# X-1: T\n\n## State\n\n## Problem\n", null)]
    [InlineData("no heading at all\n", null)]
    public void Finds_the_state_in_the_forms_real_files_use(string content, string? expected)
    {
        Assert.Equal(expected, StateField.Find(content)?.Value);
        Assert.Equal(expected, StateField.ValueOf(Encoding.UTF8.GetBytes(content)));
    }

    [Theory]
    [InlineData("# X-1: T\n\n## State\n\n**`Approved`**\n", "APPROVED", "Approved")]
    [InlineData("# X-1: T\n\n## Status\n\n`in_review` later\n", "IN_REVIEW", "in_review")]
    [InlineData("# X-1: T\n\n**Status:** *Draft*\n\n## Problem\n", "DRAFT", "Draft")]
    [InlineData("# X-1: T — é\n\nSTATE:`DONE_NOW`!\n", "DONE_NOW", "DONE_NOW")]
    public void The_state_word_is_found_after_the_marks_around_it_with_its_place_in_the_text(string content, string expected, string written)
    {
        var found = StateField.Find(content);

        Assert.NotNull(found);
        Assert.Equal(expected, found.Value.Value);
        Assert.Equal(written, content.Substring(found.Value.Start, found.Value.Length));
        Assert.Equal(expected, StateField.ValueOf(Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void Finds_yaml_state_only_in_yaml()
    {
        const string yaml = "id: JRN-001\ntitle: Sign up\nstate: approved\nsteps: []\n";

        Assert.Equal("APPROVED", StateField.Find(yaml, yaml: true)?.Value);
        Assert.Equal("APPROVED", StateField.ValueOf(Encoding.UTF8.GetBytes(yaml), yaml: true));
        Assert.Equal("DRAFT", StateField.ValueOf("id: JRN-1\nState: \"draft\"\n"u8, yaml: true));
        Assert.Null(StateField.Find("# X-1\n\n```yaml\nstate: approved\n```\n"));
    }

    [Fact]
    public void Keep_puts_the_local_state_into_remote_text_and_changes_nothing_else()
    {
        const string local = "# X-1: T\r\n\r\n## State\r\n\r\nAPPROVED\r\n\r\nbody\r\n";
        const string remote = "# X-1: T\r\n\r\n## State\r\n\r\nDRAFT\r\n\r\nbody edited remotely\r\n";

        Assert.Equal("# X-1: T\r\n\r\n## State\r\n\r\nAPPROVED\r\n\r\nbody edited remotely\r\n", StateField.Keep(remote, local));
        Assert.Equal(remote, StateField.Keep(remote, "# X-1: T\n\nno state\n"));
    }

    [Fact]
    public void Keep_returns_the_remote_text_itself_when_both_say_the_same_and_only_the_case_of_a_differing_word_counts()
    {
        var remote = string.Concat("# X-1: T\n\n## State\n\n", "APPROVED\n\nbody edited remotely\n");

        Assert.Same(remote, StateField.Keep(remote, "# X-1: T\n\n## Status\n\nAPPROVED\n\nbody\n"));
        // Same value, written differently: the local spelling is kept, so the text changes.
        Assert.Equal("# X-1: T\n\n## State\n\nApproved\n\nbody edited remotely\n", StateField.Keep(remote, "# X-1: T\n\n## State\n\nApproved\n"));
    }
}
