using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>Decides whether a candidate match is personal data that the policy does not allow.</summary>
internal delegate bool PiiCheck(string content, Match match, PiiPolicy policy);

/// <summary>One PII detector: a cheap regex for candidates, then a check that knows the exceptions of its kind.</summary>
internal sealed record PiiRule(string Kind, string Redaction, Regex Regex, PiiCheck IsPii)
{
    /// <summary>
    /// Detectors anchored on a literal (the @ of an e-mail, the first colon of an IPv6 address) match their beginning in a
    /// lookbehind and name it "local" or "start"; the finding runs from there to the end of the match.
    /// </summary>
    public static (int Index, int Length) SpanOf(Match match)
    {
        var begin = match.Groups["local"] is { Success: true } local ? local
            : match.Groups["start"] is { Success: true } start ? start
            : null;
        var index = begin?.Index ?? match.Index;
        return (index, match.Index + match.Length - index);
    }
}
