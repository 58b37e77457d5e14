using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// Names that contain a secret keyword without holding a secret: metadata about one (token_url, secret_name,
/// password_hash, api_key_id) and the opaque cursors APIs call tokens (NextToken, page_token, IdempotencyToken).
/// AWS and Google documentation alone is full of high-entropy pagination tokens that would otherwise block a push.
/// </summary>
internal static partial class KeyNames
{
    [GeneratedRegex(@"^[_.-]?(?:type|url|uri|endpoint|path|file|name|id|count|length|size|expiry|expires|expiration|ttl|limit|header|generation|format|version|prefix|suffix|hash|policy|env|field|param|ref|source|provider|kind|rotation|lifetime|timeout|usage)s?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MetadataSuffix();

    [GeneratedRegex(@"(?:next|page|continuation|pagination|idempotency|purchase|update|cancellation|resume|sync|max|num|total)[_.-]?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CursorPrefix();

    public static bool NamesNoSecret(string content, Group keyword)
    {
        var start = keyword.Index;
        while (start > 0 && IsNameChar(content[start - 1]))
            start--;
        var end = keyword.Index + keyword.Length;
        while (end < content.Length && IsNameChar(content[end]))
            end++;

        var prefix = content.AsSpan(start, keyword.Index - start);
        var suffix = content.AsSpan(keyword.Index + keyword.Length, end - keyword.Index - keyword.Length);
        return MetadataSuffix().IsMatch(suffix)
            || (keyword.ValueSpan.Equals("token", StringComparison.OrdinalIgnoreCase) && CursorPrefix().IsMatch(prefix));
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
