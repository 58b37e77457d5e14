using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// E-mail addresses, minus what only looks like one in engineering text: SSH remotes (git@github.com:org/repo.git),
/// URL user info, retina assets (icon@2x.png), GitHub noreply addresses and documentation domains. Decorators
/// (@pytest.mark.x, @dataclass) and npm scopes (@types/node) have nothing before the @ and never match.
/// </summary>
internal static partial class EmailDetector
{
    private static readonly string[] NoReplyLocalParts = ["noreply", "no-reply", "donotreply", "do-not-reply", "git"];

    // Asset and source file names written name@variant.ext: the "top-level domain" is a file extension.
    private static readonly string[] FileExtensions =
    [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "pdf", "js", "mjs", "ts", "tsx", "jsx", "css", "scss",
        "html", "json", "yaml", "yml", "toml", "lock", "txt", "py", "rb", "go", "rs", "cs", "java", "kt", "swift", "sh",
        "md", "mdx", "xml", "zip", "gz", "tar", "whl", "dll", "so", "exe",
    ];

    // Anchored on the @ (the local part is matched backwards in a lookbehind): trying every word as a possible local
    // part made this the slowest detector by far. The finding starts at the "local" group, see PiiRule.SpanOf.
    [GeneratedRegex(@"(?<=(?<![A-Za-z0-9._%+-])(?<local>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}))@(?<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex Candidates();

    public static bool IsPii(string content, Match match, PiiPolicy policy)
    {
        var local = match.Groups["local"].Value;
        var domain = match.Groups["domain"].Value;
        var end = match.Index + match.Length;

        if (policy.AllowsDomain(domain) || DocumentationNames.IsReserved(domain))
            return false;
        // Robots, not people: no-reply senders, GitHub's private commit addresses, Google Cloud service accounts.
        if (NoReplyLocalParts.Contains(local, StringComparer.OrdinalIgnoreCase)
            || DocumentationNames.IsSameOrSubdomain(domain, "users.noreply.github.com")
            || DocumentationNames.IsSameOrSubdomain(domain, "gserviceaccount.com"))
            return false;

        // scp-like remote host:path, as in git@host:org/repo.git or deploy@host:/srv.
        if (end < content.Length && content[end] == ':')
            return false;

        var topLevel = domain[(domain.LastIndexOf('.') + 1)..];
        if (FileExtensions.Contains(topLevel, StringComparer.OrdinalIgnoreCase))
            return false;

        return !IsUrlUserInfo(content, match.Groups["local"].Index);
    }

    // https://user:pw@host and ssh://git@host: credentials in a URL are the password-in-url rule's business, not an address.
    private static bool IsUrlUserInfo(string content, int start)
    {
        var tokenStart = start;
        while (tokenStart > 0 && !char.IsWhiteSpace(content[tokenStart - 1]) && content[tokenStart - 1] is not ('"' or '\'' or '(' or '<' or '`'))
            tokenStart--;
        return content.AsSpan(tokenStart, start - tokenStart).Contains("://", StringComparison.Ordinal);
    }
}
