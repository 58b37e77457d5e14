using System.Text;
using AgentSync.Artifacts;
using AgentSync.Remote;

namespace AgentSync.Tests.Remote;

public sealed class RemoteChangeRecordTests
{
    [Fact]
    public void A_change_read_as_utf8_gives_the_same_text_as_one_read_as_text_and_copies_keep_it()
    {
        const string text = "\uFEFF# INFRA-001: Títle 😀\r\n\r\n## State\r\n\r\nDRAFT\r\n";
        var at = DateTimeOffset.UnixEpoch;

        var fromText = new RemoteChangeRecord(7, Guid.Empty, "INFRA-001", ArtifactKind.Story, 2, text, ContentHash.Of(text), false, "a@example.com", null, at) { Path = "INFRA/INFRA-001.md" };
        var fromBytes = RemoteChangeRecord.FromUtf8(7, Guid.Empty, "INFRA-001", ArtifactKind.Story, 2, Encoding.UTF8.GetBytes(text), ContentHash.Of(text), false, "a@example.com", null, at, "INFRA/INFRA-001.md");

        Assert.Equal(text, fromBytes.Content);
        Assert.Equal(fromText, fromBytes with { Utf8 = null });
        Assert.Equal(text, (fromBytes with { Version = 3 }).Content);
    }
}
