using System.Buffers;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>Decides whether one regex match is a real secret (the push is blocked) rather than a look-alike.</summary>
internal delegate bool SecretCheck(string content, Match match);

/// <summary>
/// One entry of the secret table. The reported span is the regex group named "secret" when the pattern has one (the
/// password inside a URL, the value of an assignment), else the whole match; the masker replaces exactly that span.
/// <see cref="IsSecret"/> is the strict test for blocking a push; <see cref="IsMaskable"/> is the looser one for logs,
/// where hiding a harmless value costs nothing and leaking a real one is the failure that matters.
/// </summary>
internal sealed record SecretRule(string Kind, Regex Regex, SecretCheck? IsSecret = null, SecretCheck? IsMaskable = null)
{
    public const string SecretGroup = "secret";

    /// <summary>For a pattern led by keywords: see <see cref="KeywordSearch"/>.</summary>
    public KeywordSearch? Keywords { get; init; }

    /// <summary>Every match in <paramref name="content"/>, in order: what iterating <see cref="Regex"/> gives.</summary>
    public IEnumerable<Match> Matches(string content)
    {
        if (Keywords is not { } keywords || content.AsSpan().ContainsAny(KeywordSearch.UnfoldedLetters))
        {
            for (var match = Regex.Match(content); match.Success; match = match.NextMatch())
                yield return match;
            yield break;
        }

        // A match can only start where a keyword does: try the anchored pattern at each keyword, left to right, and
        // go on after each match, as the engine does. The same matches, without trying every letter of the text.
        var at = 0;
        while (at < content.Length)
        {
            var hit = content.AsSpan(at).IndexOfAny(keywords.Starts);
            if (hit < 0)
                yield break;
            hit += at;
            var match = keywords.Anchored.Match(content, hit);
            if (match.Success && match.Length > 0)
            {
                yield return match;
                at = match.Index + match.Length;
            }
            else
            {
                at = hit + 1;
            }
        }
    }

    public static Group SpanOf(Match match)
    {
        var secret = match.Groups[SecretGroup];
        return secret.Success ? secret : match;
    }
}

/// <summary>
/// How to find the matches of a pattern that starts with one of a few keywords, case-insensitively: a vectorized
/// search for all the keywords at once, then the pattern anchored there (<c>\G</c> + the same pattern). The regex
/// engine alone looks for the keywords by their first letters, which for words such as "token", "access" and "role"
/// means trying the pattern at a large share of all positions (the generic-secret rule was half of a push's scan).
/// </summary>
/// <param name="Starts">Every way a match can begin, compared ignoring case.</param>
internal sealed record KeywordSearch(SearchValues<string> Starts, Regex Anchored)
{
    /// <summary>
    /// Letters the regex engine may take as case variants of ASCII letters where an ordinal comparison does not (it
    /// matches "to\u212Aen", KELVIN SIGN, as "token"; LONG S and the dotted and dotless I are kept out to be safe):
    /// text holding one is searched by the regex alone.
    /// </summary>
    public static readonly SearchValues<char> UnfoldedLetters = SearchValues.Create("\u212A\u017F\u0130\u0131");
}
