using System.Text.RegularExpressions;

namespace AgentSync.Artifacts;

/// <summary>
/// Finds the state value of an artifact in its text: a <c>## State</c> or <c>## Status</c> section whose value is the
/// next non-blank line, a <c>Status: X</c> line in the preamble (before the first section), or YAML <c>state:</c>.
/// Git governs this value, so sync needs its exact location to keep the local one when it takes remote text.
/// </summary>
public static partial class StateField
{
    /// <summary>The span of the state word in <paramref name="content"/>, or null when there is none.</summary>
    public static StateSpan? Find(string content, bool yaml = false)
    {
        if (yaml)
        {
            var field = YamlState().Match(content);
            return field.Success
                ? new StateSpan(field.Groups["v"].Index, field.Groups["v"].Length, field.Groups["v"].Value.ToUpperInvariant())
                : null;
        }

        var section = SectionHeading().Match(content);
        if (section.Success)
        {
            var value = FirstValueLine().Match(content, section.Index + section.Length);
            if (value.Success && value.Groups["v"].Success)
                return new StateSpan(value.Groups["v"].Index, value.Groups["v"].Length, value.Groups["v"].Value.ToUpperInvariant());
        }

        var firstSection = FirstSubHeading().Match(content);
        var preambleEnd = firstSection.Success ? firstSection.Index : content.Length;
        var line = PreambleLine().Match(content);
        return line.Success && line.Index < preambleEnd
            ? new StateSpan(line.Groups["v"].Index, line.Groups["v"].Length, line.Groups["v"].Value.ToUpperInvariant())
            : null;
    }

    /// <summary>
    /// Puts <paramref name="state"/> (as written in <paramref name="from"/>) into <paramref name="content"/> where its own
    /// state is; content without a state field is returned unchanged.
    /// </summary>
    public static string Keep(string content, string from, bool yaml = false)
    {
        var ours = Find(from, yaml);
        var theirs = Find(content, yaml);
        if (ours is null || theirs is null)
            return content;
        var word = from.AsSpan(ours.Value.Start, ours.Value.Length);
        // Usually both sides already say the same: the same text comes back, not a copy of it (a pull of edits
        // copied every file's text here once more).
        if (word.SequenceEqual(content.AsSpan(theirs.Value.Start, theirs.Value.Length)))
            return content;
        return string.Concat(content.AsSpan(0, theirs.Value.Start), word, content.AsSpan(theirs.Value.Start + theirs.Value.Length));
    }

    // The heading itself, then the value on the next non-blank line. Real files put it on the next line or after a blank.
    [GeneratedRegex(@"^##[ \t]+(?:State|Status)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SectionHeading();

    // A value is a leading word such as COMMITTED or REVIEW_NEEDED, optionally in ** or `; trailing noise
    // (for example "COMMITTED-002-002" left by a bad search and replace) is not part of the state.
    [GeneratedRegex(@"\G(?:[ \t]*\r?\n)*[ \t]*[*_`]*(?<v>[A-Za-z][A-Za-z_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex FirstValueLine();

    [GeneratedRegex(@"^##", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FirstSubHeading();

    // Case-sensitive on purpose: "Status: COMMITTED" is a field, "state: x" in a code sample is not.
    [GeneratedRegex(@"^[*_]*(?:State|Status|STATE|STATUS)[*_]*:[*_]*[ \t]*[*_`]*(?<v>[A-Za-z][A-Za-z_]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PreambleLine();

    [GeneratedRegex(@"^state:[ \t]*[""']?(?<v>[A-Za-z][A-Za-z_]*)", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YamlState();
}

/// <summary>Where the state word sits in a text, and its upper-cased value.</summary>
public readonly record struct StateSpan(int Start, int Length, string Value);
