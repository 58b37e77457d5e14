using System.Security.Cryptography;
using System.Text;
using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Tests.Support;
using AgentSync.Workspace;

namespace AgentSync.Tests.Artifacts;

/// <summary>Reading and comparing artifact files byte for byte, through one handle and a pooled buffer.</summary>
public sealed class ArtifactTextTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_workspace.Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("")]
    [InlineData("# A\r\n\r\nno final newline")]
    [InlineData("\uFEFF# With a BOM\n")]
    [InlineData("é—✓ and 🧪\n")]
    public void Read_returns_the_text_of_exactly_the_bytes_on_disk_and_their_hash(string text)
    {
        var path = WriteBytes("a.md", Encoding.UTF8.GetBytes(text));

        var (read, hash) = ArtifactText.Read(path, "a.md", 1024);
        Assert.Equal(text, read);
        Assert.Equal(Encoding.UTF8.GetBytes(text), ArtifactText.Encode(read));
        // The hash taken from the bytes read is the one of the text (BOM included), as the cache and remotes key it.
        Assert.Equal(ContentHash.Of(text), hash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), hash);
    }

    [Fact]
    public void Read_of_a_large_file_returns_every_byte()
    {
        var text = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i}\n"));
        var path = WriteBytes("big.md", Encoding.UTF8.GetBytes(text));

        var (read, hash) = ArtifactText.Read(path, "big.md", 4 * 1024 * 1024);
        Assert.Equal(text, read);
        Assert.Equal(ContentHash.Of(text), hash);
    }

    [Fact]
    public void Read_refuses_a_file_over_the_limit_binary_content_and_invalid_utf8_in_one_line()
    {
        var big = WriteBytes("big.md", new byte[2048]);
        var binary = WriteBytes("bin.md", [(byte)'a', 0, (byte)'b']);
        var invalid = WriteBytes("bad.md", [(byte)'a', 0xC3, 0x28]);

        Assert.Contains("over the 1 KiB limit", Assert.Throws<SyncException>(() => ArtifactText.Read(big, "big.md", 1024)).Message, StringComparison.Ordinal);
        Assert.Contains("binary file", Assert.Throws<SyncException>(() => ArtifactText.Read(binary, "bin.md", 1024)).Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", Assert.Throws<SyncException>(() => ArtifactText.Read(invalid, "bad.md", 1024)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_is_true_only_for_the_same_bytes()
    {
        var path = WriteBytes("a.md", "# Same\n"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(_workspace.Root, "folder.md"));

        Assert.True(ArtifactText.Holds(path, "# Same\n"u8));
        Assert.False(ArtifactText.Holds(path, "# Sane\n"u8));
        Assert.False(ArtifactText.Holds(path, "# Same\n\n"u8));
        Assert.False(ArtifactText.Holds(path, "# Same"u8));
        Assert.False(ArtifactText.Holds(Path.Combine(_workspace.Root, "missing.md"), "# Same\n"u8));
        Assert.False(ArtifactText.Holds(Path.Combine(_workspace.Root, "no", "such", "folder.md"), "x"u8));
        Assert.False(ArtifactText.Holds(Path.Combine(_workspace.Root, "folder.md"), "x"u8));
        Assert.True(ArtifactText.Holds(WriteBytes("empty.md", []), []));
    }
}
