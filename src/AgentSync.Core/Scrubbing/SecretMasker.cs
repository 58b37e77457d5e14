using System.Text;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// Masks secrets in text bound for logs, error messages and traces. It is deliberately greedier than the scanner:
/// hiding a harmless value costs a little readability, printing a real one costs a rotation.
/// </summary>
public static partial class SecretMasker
{
    private const string Replacement = "***";

    // The credentials agent-sync itself reads; their values are masked wherever they appear, whatever their shape.
    private static readonly string[] CredentialVariables =
        ["SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_ANON_KEY", "SUPABASE_ACCESS_TOKEN", "PGPASSWORD"];

    // Shorter values (a test password "postgres") would mask ordinary words all over a log line.
    private const int MinimumVariableLength = 8;

    // ADO.NET and libpq connection strings: Password=...; or password=... host=... (the value ends at ; or the next key).
    [GeneratedRegex(@"\b(?:password|pwd)[ \t]*=[ \t]*(?<secret>""[^""]*""|'[^']*'|[^;\r\n]*?)(?=;|[\r\n]|\z|[ \t]+[A-Za-z_][A-Za-z_ ]*=)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"\bBasic[ \t]+(?<secret>[A-Za-z0-9+/]{8,}={0,2})", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex BasicCredentials();

    public static string Mask(string text) => Mask(text, Environment.GetEnvironmentVariable);

    /// <summary>Tests pass their own environment: changing the real one would race with every test that reads it.</summary>
    internal static string Mask(string text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return text;

        var spans = new List<(int Start, int End)>();
        foreach (var rule in SecretRules.All)
        {
            var check = rule.IsMaskable ?? rule.IsSecret;
            foreach (var match in rule.Matches(text))
            {
                if (check is null || check(text, match))
                    Add(spans, SecretRule.SpanOf(match));
            }
        }

        foreach (var regex in (ReadOnlySpan<Regex>)[ConnectionStringPassword(), BasicCredentials()])
        {
            for (var match = regex.Match(text); match.Success; match = match.NextMatch())
                Add(spans, SecretRule.SpanOf(match));
        }

        foreach (var variable in CredentialVariables)
        {
            var value = environment(variable);
            if (value is null || value.Length < MinimumVariableLength)
                continue;
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
                spans.Add((at, at + value.Length));
        }

        return spans.Count == 0 ? text : Apply(text, spans);
    }

    private static void Add(List<(int Start, int End)> spans, Group span)
    {
        if (span.Length > 0)
            spans.Add((span.Index, span.Index + span.Length));
    }

    // Overlapping and adjacent spans become one mask, so "***" never reveals where one secret ended and another began.
    private static string Apply(string text, List<(int Start, int End)> spans)
    {
        spans.Sort();
        var masked = new StringBuilder(text.Length);
        var position = 0;
        var i = 0;
        while (i < spans.Count)
        {
            var (start, end) = spans[i++];
            while (i < spans.Count && spans[i].Start <= end)
                end = Math.Max(end, spans[i++].End);

            masked.Append(text, position, start - position).Append(Replacement);
            position = end;
        }

        return masked.Append(text, position, text.Length - position).ToString();
    }
}
