using System.Security.Cryptography;
using System.Text;

namespace AgentSync.Artifacts;

/// <summary>SHA-256 of the exact UTF-8 bytes, lower-case hex: the blob key locally and the hash sent to remotes.</summary>
public static class ContentHash
{
    public static string Of(string content) => Of(Encoding.UTF8.GetBytes(content));

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }
}
