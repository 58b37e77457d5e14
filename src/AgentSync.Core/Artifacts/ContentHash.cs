using System.Security.Cryptography;
using System.Text;

namespace AgentSync.Artifacts;

/// <summary>SHA-256 of the exact UTF-8 bytes, lower-case hex: the blob key locally and the hash sent to remotes.</summary>
public static class ContentHash
{
    private static int s_warming;

    public static string Of(string content) => Of(Encoding.UTF8.GetBytes(content));

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// Loads the platform's hashing library on a thread of its own. On Linux the first hash loads and configures
    /// OpenSSL (libssl, libcrypto, openssl.cnf: 2-3 ms); a pull starts this while it waits for the remote's first page,
    /// so the first artifact it applies finds it loaded instead of paying for it on the command's critical path.
    /// </summary>
    public static void WarmUpInBackground()
    {
        if (Interlocked.Exchange(ref s_warming, 1) != 0)
            return;
        new Thread(static () =>
        {
            try
            {
                Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData([], digest);
            }
#pragma warning disable CA1031 // A library that cannot load fails the first real hash too, where the failure is reported.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        { IsBackground = true, Name = "hash warm-up" }.Start();
    }
}
