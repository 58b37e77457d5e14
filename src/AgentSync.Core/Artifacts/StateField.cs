using System.Buffers;
using System.Text;
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
    public static StateSpan? Find(string content, bool yaml = false) => Find(content.AsSpan(), yaml);

    /// <summary>The same, in a text held as characters anywhere (a pooled buffer): the patterns are matched without
    /// allocating, and only the state word becomes a string (a pull of 1,000 allocated ~1 MB of regex matches here).</summary>
    public static StateSpan? Find(ReadOnlySpan<char> content, bool yaml = false)
    {
        if (yaml)
            return First(YamlState(), content, 0) is { } field ? Word(content, field, afterColon: true) : null;

        if (First(SectionHeading(), content, 0) is { } section
            && First(FirstValueLine(), content, section.Index + section.Length) is { } value)
            return Word(content, value, afterColon: false);

        var preambleEnd = First(FirstSubHeading(), content, 0)?.Index ?? content.Length;
        return First(PreambleLine(), content, 0) is { } line && line.Index < preambleEnd
            ? Word(content, line, afterColon: true)
            : null;
    }

    /// <summary>The state word of a text held as its UTF-8 bytes, decoded into a pooled buffer rather than a string:
    /// a pull needs only this word of each new artifact's text.</summary>
    public static string? ValueOf(ReadOnlySpan<byte> utf8, bool yaml = false)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            return Find(chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, chars)), yaml)?.Value;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static (int Index, int Length)? First(Regex pattern, ReadOnlySpan<char> content, int start)
    {
        foreach (var match in pattern.EnumerateMatches(content, start))
            return (match.Index, match.Length);
        return null;
    }

    /// <summary>
    /// The word each pattern ends with (its <c>v</c> group, which span matching does not capture): what precedes it in
    /// a match holds no letter, except the field's name, which a colon ends.
    /// </summary>
    private static StateSpan Word(ReadOnlySpan<char> content, (int Index, int Length) match, bool afterColon)
    {
        var text = content.Slice(match.Index, match.Length);
        var from = afterColon ? text.IndexOf(':') + 1 : 0;
        var start = from + text[from..].IndexOfAny(AsciiLetters);
        var word = text[start..];
        return new StateSpan(match.Index + start, word.Length, string.Create(word.Length, word, static (upper, w) => w.ToUpperInvariant(upper)));
    }

    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

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
