namespace AgentSync.Scrubbing;

/// <summary>
/// Values that stand for a secret without being one: templates, environment references, code, and the words people
/// type in documentation instead of a real key. Treating them as secrets would block every README that explains setup.
/// </summary>
internal static class Placeholders
{
    private static readonly string[] Words =
    [
        "changeme", "change_me", "change-me", "example", "placeholder", "dummy", "sample", "redacted", "your",
        "xxxx", "****", "...", "…", "todo", "replace", "insert", "secret", "password", "passwd", "token", "fake", "mock", "test",
        "none", "null", "undefined", "default",
    ];

    // Common default credentials of local databases and tools: a password that is a product name protects nothing.
    private static readonly string[] Defaults = ["postgres", "root", "admin", "guest", "pass", "pw", "pwd", "user", "sa"];

    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        if (trimmed.IsEmpty)
            return true;

        // Shell and template references ($VAR, ${VAR}, %VAR%, {{ var }}, <your-key>), code (os.environ["X"], f(x), a[b])
        // and paths all start or contain characters a generated secret practically never has in these positions.
        if (trimmed[0] is '$' or '%' or '<' or '{' or '[' or '(' or '@' or '&' or '*' or '#' or '/' or '~' or '\\')
            return true;
        if (trimmed.ContainsAny("([{<>") || trimmed.Contains("${", StringComparison.Ordinal) || trimmed.Contains("://", StringComparison.Ordinal))
            return true;
        if (trimmed.StartsWith("arn:", StringComparison.Ordinal) || trimmed.StartsWith("os.", StringComparison.Ordinal) || trimmed.StartsWith("process.env", StringComparison.Ordinal)
            || trimmed.StartsWith("env.", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("secrets.", StringComparison.Ordinal))
            return true;

        if (IsOneRepeatedCharacter(trimmed))
            return true;

        foreach (var word in Words)
        {
            if (trimmed.Contains(word, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        foreach (var word in Defaults)
        {
            if (trimmed.Equals(word, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    private static bool IsOneRepeatedCharacter(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c != value[0])
                return false;
        }

        return true;
    }
}
