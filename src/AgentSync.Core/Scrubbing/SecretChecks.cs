using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>The second look each secret rule takes at its match, so documentation look-alikes do not block a push.</summary>
internal static class SecretChecks
{
    public static bool Always(string content, Match match) => true;

    /// <summary>A PEM header followed by "..." in a runbook is an explanation, not a key.</summary>
    public static bool HasKeyMaterial(string content, Match match)
    {
        var material = 0;
        foreach (var c in match.Groups["body"].ValueSpan)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
                material++;
        }

        return material >= 64;
    }

    /// <summary>AWS documents its APIs with AKIAIOSFODNN7EXAMPLE and friends.</summary>
    public static bool NotAwsExample(string content, Match match) =>
        !match.ValueSpan.EndsWith("EXAMPLE", StringComparison.Ordinal) && NotFake(content, match);

    /// <summary>Docs write ghp_xxxx... or sk_live_0000...; issued tokens are random and never repeat a character five times.</summary>
    public static bool NotFake(string content, Match match)
    {
        var value = match.ValueSpan;
        return !HasRun(value, 5)
            && !value.Contains("example", StringComparison.OrdinalIgnoreCase)
            && !value.Contains("your", StringComparison.OrdinalIgnoreCase)
            && !value.Contains("placeholder", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The service-role key bypasses row-level security; anon keys are public-ish and stay plain "jwt".</summary>
    public static bool IsServiceRoleJwt(string content, Match match)
    {
        var parts = match.Value.Split('.');
        var claims = parts.Length == 3 ? DecodeBase64Url(parts[1]) : null;
        return claims is not null && claims.Contains("\"service_role\"", StringComparison.Ordinal);
    }

    public static bool RealUrlPassword(string content, Match match)
    {
        var password = match.Groups[SecretRule.SecretGroup].ValueSpan;
        return !Placeholders.IsPlaceholder(password)
            && !password.Equals(match.Groups["user"].ValueSpan, StringComparison.Ordinal);
    }

    public static bool RandomValue(string content, Match match)
    {
        var value = match.Groups[SecretRule.SecretGroup].ValueSpan.Trim();
        return !Placeholders.IsPlaceholder(value) && Entropy.LooksRandom(value);
    }

    public static bool RandomAssignment(string content, Match match) =>
        !KeyNames.NamesNoSecret(content, match.Groups["key"]) && RandomValue(content, match);

    /// <summary>
    /// In logs a password is hidden whatever it looks like; other keywords (token, key) also name counters and states
    /// ("tokens: 4096", "token: expired"), which are kept so error messages stay readable.
    /// </summary>
    public static bool MaskableAssignment(string content, Match match)
    {
        var value = match.Groups[SecretRule.SecretGroup].ValueSpan.Trim();
        if (value.IsEmpty)
            return false;

        var key = match.Groups["key"].ValueSpan;
        if (key.StartsWith("pass", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase))
            return true;

        if (value is "true" or "false" or "null" or "none" or "None" or "True" or "False")
            return false;

        var letters = 0;
        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiLetter(c)) letters++;
            else if (char.IsAsciiDigit(c)) digits++;
        }

        var onlyLetters = letters == value.Length;
        var onlyDigits = digits == value.Length;
        return !(onlyDigits || (onlyLetters && value.Length < 8));
    }

    private static bool HasRun(ReadOnlySpan<char> value, int length)
    {
        var run = 1;
        for (var i = 1; i < value.Length; i++)
        {
            run = value[i] == value[i - 1] ? run + 1 : 1;
            if (run >= length && char.IsAsciiLetterOrDigit(value[i]))
                return true;
        }

        return false;
    }

    private static string? DecodeBase64Url(string segment)
    {
        var bytes = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        return Base64Url.TryDecodeFromChars(segment, bytes, out var written)
            ? Encoding.UTF8.GetString(bytes, 0, written)
            : null;
    }
}
