using System.Text;
using AgentSync.Artifacts;

namespace AgentSync.Tests.Artifacts;

public sealed class ArtifactParserTests
{
    [Theory]
    [InlineData("stories/INFRA/INFRA-004-x.md", "# INFRA-004: Title\n\nbody\n", "Title")]
    [InlineData("stories/INFRA/INFRA-004-x.md", "\n  \n\t\r\n# INFRA-004: After blank lines\r\n\r\nbody\r\n", "After blank lines")]
    [InlineData("stories/INFRA/INFRA-004-x.md", " \r \n# INFRA-004: Not after a line with a lone return\n", "INFRA-004-x")]
    [InlineData("stories/INFRA/INFRA-004-x.md", "Intro line\n# INFRA-004: Heading on the second line\n", "INFRA-004-x")]
    [InlineData("stories/INFRA/INFRA-004-x.md", "\uFEFF# INFRA-004: After a byte order mark\n", "INFRA-004-x")]
    [InlineData("stories/INFRA/INFRA-004-x.md", "# INFRA-004: Título with no newline", "Título with no newline")]
    [InlineData("stories/INFRA/INFRA-004-x.md", "\n\n", "INFRA-004-x")]
    [InlineData("journeys/WEB/JRN-003-sign-up.yaml", "# comment\nid: JRN-003\ntitle: Sign up\nstate: draft\n", "Sign up")]
    public void Identifying_from_the_bytes_reads_what_identifying_the_text_reads(string below, string content, string title)
    {
        var relative = ".agent/cache/" + below;

        var fromText = ArtifactParser.Identify(relative, content, ArtifactLocations.Default);
        var fromBytes = ArtifactParser.Identify(relative, Encoding.UTF8.GetBytes(content), ArtifactLocations.Default);

        Assert.NotNull(fromText);
        Assert.Equal(title, fromText.Title);
        Assert.Equal(fromText, fromBytes);
    }
}
