using System.Text;
using AgentSync.Errors;

namespace AgentSync.Workspace;

/// <summary>
/// Turns file bytes into artifact text and back without changing a byte: strict UTF-8 both ways, the BOM kept as
/// U+FEFF, line endings and a missing final newline untouched. Anything that cannot round-trip is refused.
/// </summary>
public static class ArtifactText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(string text) => Strict.GetBytes(text);

    /// <summary>Decodes <paramref name="bytes"/> read from <paramref name="displayPath"/>, or throws a one-line usage error.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string displayPath, long maxBytes)
    {
        if (bytes.Length > maxBytes)
            throw SyncException.Usage($"{displayPath}: {Size(bytes.Length)} is over the {Size(maxBytes)} limit; split it or raise max_file_bytes in .agent/etc/sync.yaml");
        if (bytes.IndexOf((byte)0) >= 0)
            throw SyncException.Usage($"{displayPath}: binary file (contains NUL bytes); only UTF-8 text artifacts can be synced, move it out of the artifact folders");
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw SyncException.Usage($"{displayPath}: not valid UTF-8; re-save it as UTF-8 and import again");
        }
    }

    /// <summary>True when the file at <paramref name="fullPath"/> holds exactly <paramref name="bytes"/>: a stat first, so a
    /// file of another size is never read. Synchronous for the reason given at <see cref="Read"/>.</summary>
    public static bool Holds(string fullPath, ReadOnlySpan<byte> bytes)
    {
        var info = new FileInfo(fullPath);
        return info.Exists && info.Length == bytes.Length && File.ReadAllBytes(fullPath).AsSpan().SequenceEqual(bytes);
    }

    /// <summary>Reads and decodes one artifact file. Synchronous: Linux has no asynchronous file reads, and for files
    /// of a few KB the thread-pool round trip of ReadAllBytesAsync costs more than the read.</summary>
    public static string Read(string fullPath, string displayPath, long maxBytes)
    {
        var info = new FileInfo(fullPath);
        if (info.Length > maxBytes)
            throw SyncException.Usage($"{displayPath}: {Size(info.Length)} is over the {Size(maxBytes)} limit; split it or raise max_file_bytes in .agent/etc/sync.yaml");
        return Decode(File.ReadAllBytes(fullPath), displayPath, maxBytes);
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024.0):0.#} MiB"
        : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes} bytes";
}
