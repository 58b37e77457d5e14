using System.Buffers;
using System.Text;
using AgentSync.Artifacts;
using AgentSync.Errors;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>True when the file at <paramref name="fullPath"/> holds exactly <paramref name="bytes"/>: its length first,
    /// so a file of another size is never read. Synchronous for the reason given at <see cref="Read"/>.</summary>
    public static bool Holds(string fullPath, ReadOnlySpan<byte> bytes)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException
            || (e is UnauthorizedAccessException && Directory.Exists(fullPath)))
        {
            return false;
        }

        using (handle)
        {
            if (RandomAccess.GetLength(handle) != bytes.Length)
                return false;
            var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length + 1);
            try
            {
                // One byte more than expected: a file that grew since its length was taken is not a match either.
                return ReadToEnd(handle, buffer.AsSpan(0, bytes.Length + 1)) == bytes.Length && buffer.AsSpan(0, bytes.Length).SequenceEqual(bytes);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads and decodes one artifact file, and hashes it (<see cref="ContentHash"/>) from the bytes read: the
    /// round trip is exact, so they are the text's UTF-8, which need not be encoded again (a tenth of a scan of 1,000 new
    /// files). Synchronous: Linux has no asynchronous file reads, and for files of a few KB the thread-pool round trip
    /// of ReadAllBytesAsync costs more than the read. One open, one fstat and a pooled buffer: a push of 1,000 new files
    /// spent a quarter of its reading in a separate stat and new arrays.</summary>
    public static (string Text, string Hash) Read(string fullPath, string displayPath, long maxBytes)
    {
        using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
            throw SyncException.Usage($"{displayPath}: {Size(length)} is over the {Size(maxBytes)} limit; split it or raise max_file_bytes in .agent/etc/sync.yaml");
        // Room for one byte more than the length: a file still being written is read to its end, not cut at the size.
        var buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
        try
        {
            var read = ReadToEnd(handle, buffer);
            ReadOnlySpan<byte> bytes = read == buffer.Length ? File.ReadAllBytes(fullPath) : buffer.AsSpan(0, read);
            return (Decode(bytes, displayPath, maxBytes), ContentHash.Of(bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from the start of the file until it is full or the file ends.</summary>
    private static int ReadToEnd(SafeFileHandle handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], total);
            if (read == 0)
                break;
            total += read;
        }

        return total;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024.0):0.#} MiB"
        : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes} bytes";
}
