using System.Text.RegularExpressions;

namespace AgentSync.Remote;

/// <summary>
/// The remote's informational <c>state</c> of an artifact, by the rules of the migration's <c>extract_state</c>, rule for
/// rule: the value of a <c>## State</c> / <c>## Status</c> section (its next non-blank line), else a <c>Status: X</c>
/// line, else a line starting <c>state:</c>; spaces trimmed, empty is none. A push sends it with each change so the
/// server need not run three regexes over every text it stores (~13 ms of a push of 1,000 on the server, the side the
/// push waits for). Not to be confused with <see cref="Artifacts.StateField"/>, the value Git governs locally.
/// </summary>
public static partial class RemoteState
{
    public static string? Of(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string? value = null;
        if (content.Contains("Stat", StringComparison.Ordinal))
            value = Group(Section().Match(content)) ?? Group(Line().Match(content));
        if (value is null && content.Contains("state:", StringComparison.Ordinal))
            value = Group(Yaml().Match(content));
        // btrim: spaces only, as the SQL does.
        var trimmed = value?.Trim(' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string? Group(Match match) => match.Success ? match.Groups[1].Value : null;

    [GeneratedRegex(@"(?:^|\n)##[ \t]*(?:State|Status)[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*([^\r\n]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Section();

    [GeneratedRegex(@"(?:^|\n)[ \t]*\**(?:State|Status)\**:[ \t]*\**([^\r\n*]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    [GeneratedRegex(@"(?:^|\n)state:[ \t]*([^\r\n]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml();
}
