using AgentSync.Errors;
using Npgsql;

namespace AgentSync.Remote.Postgres;

/// <summary>
/// A <c>postgresql://user@host:port/db</c> remote URL. Passwords never come from the URL (it ends up in sync.yaml,
/// shell history and logs): only from <c>PGPASSWORD</c> or a pgpass file, which Npgsql reads itself. Query parameters:
/// <c>sslmode</c> and <c>gssencmode</c>, as libpq spells them.
/// </summary>
internal sealed record PostgresUrl(string Host, int Port, string Database, string User, string? SslMode, string? GssEncMode = null)
{
    public const int ConnectTimeoutSeconds = 5;
    public const int CommandTimeoutSeconds = 30;

    /// <summary>Safe for messages and logs: no password can be in it.</summary>
    public string Describe => $"postgresql://{User}@{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}/{Database}";

    public static PostgresUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres") || string.IsNullOrEmpty(uri.Host))
            throw SyncException.Usage("the Postgres remote must look like postgresql://user@host:port/database");

        var userInfo = uri.UserInfo;
        if (userInfo.Contains(':', StringComparison.Ordinal))
            throw SyncException.Usage("the Postgres remote URL contains a password: remove it from the URL and set PGPASSWORD (or use ~/.pgpass) instead");
        var user = Uri.UnescapeDataString(userInfo);
        if (user.Length == 0)
            throw SyncException.Usage("the Postgres remote URL names no user: use postgresql://user@host:port/database");

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw SyncException.Usage("the Postgres remote URL names no database: use postgresql://user@host:port/database");

        string? sslMode = null;
        string? gssEncMode = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            if (key.Equals("password", StringComparison.OrdinalIgnoreCase))
                throw SyncException.Usage("the Postgres remote URL contains a password: remove it from the URL and set PGPASSWORD (or use ~/.pgpass) instead");
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                sslMode = value;
            else if (key.Equals("gssencmode", StringComparison.OrdinalIgnoreCase))
                gssEncMode = value;
            else
                throw SyncException.Usage($"the Postgres remote URL has an unsupported parameter '{key}': only sslmode and gssencmode are understood");
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        var parsed = new PostgresUrl(host, uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port, database, user, sslMode, gssEncMode);
        _ = parsed.GssEncryption; // refuse a bad value now, not at the first connection
        return parsed;
    }

    /// <param name="commandTimeoutSeconds">How long one function call may run (timeout_seconds of sync.yaml).</param>
    public string ConnectionString(int commandTimeoutSeconds = CommandTimeoutSeconds)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = User,
            Timeout = ConnectTimeoutSeconds,
            CommandTimeout = commandTimeoutSeconds,
            ApplicationName = "agent-sync",
            // Nothing of the password may reach exception text or diagnostics.
            PersistSecurityInfo = false,
            IncludeErrorDetail = false,
            GssEncryptionMode = GssEncryption,
            // Each command is one process with its own pool and sets no session state (functions carry their own
            // search_path), so a connection taken again needs no DISCARD ALL, which also threw away the server's
            // cached plans of the functions just called.
            NoResetOnClose = true,
            // A push sends ~4 MB of text for 1,000 artifacts and a pull reads as much: with the 8 KB default buffers that
            // was 518 sends for a push and 753 receives for a pull (strace -c); with 64 KB, 70 and 122.
            ReadBufferSize = 64 * 1024,
            WriteBufferSize = 64 * 1024,
        };
        // Explicit rather than relying on the driver's environment handling; without it Npgsql looks in PGPASSFILE or
        // ~/.pgpass.
        var password = Environment.GetEnvironmentVariable("PGPASSWORD");
        if (!string.IsNullOrEmpty(password))
            builder.Password = password;
        if (SslMode is not null)
        {
            builder.SslMode = Enum.TryParse<SslMode>(SslMode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                ? mode
                : throw SyncException.Usage($"sslmode '{SslMode}' is not one of disable, allow, prefer, require, verify-ca, verify-full");
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// GSS (Kerberos) session encryption only when the URL asks for it: Supabase and most servers do not offer it, and
    /// Npgsql's default ("prefer") looks for Kerberos credentials on every new connection.
    /// </summary>
    private GssEncryptionMode GssEncryption => GssEncMode is null
        ? GssEncryptionMode.Disable
        : Enum.TryParse<GssEncryptionMode>(GssEncMode, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw SyncException.Usage($"gssencmode '{GssEncMode}' is not one of disable, prefer, require");
}
