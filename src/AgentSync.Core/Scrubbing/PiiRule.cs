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

internal static class PiiRules
{
    /// <summary>Card numbers before phone numbers: a grouped card number must not be reported as a phone.</summary>
    public static IReadOnlyList<PiiRule> All { get; } =
    [
        new("email", "[REDACTED:EMAIL]", EmailDetector.Candidates(), EmailDetector.IsPii),
        new("card-number", "[REDACTED:CARD]", CardNumberDetector.Candidates(), CardNumberDetector.IsPii),
        new("ip-address", "[REDACTED:IP]", IpAddressDetector.V4Candidates(), IpAddressDetector.IsPiiV4),
        new("ip-address", "[REDACTED:IP]", IpAddressDetector.V6Candidates(), IpAddressDetector.IsPiiV6),
        new("phone", "[REDACTED:PHONE]", PhoneDetector.International(), PhoneDetector.IsInternational),
        new("phone", "[REDACTED:PHONE]", PhoneDetector.NorthAmericanParenthesized(), PhoneDetector.IsNational),
        new("phone", "[REDACTED:PHONE]", PhoneDetector.NorthAmerican(), PhoneDetector.IsNational),
        new("phone", "[REDACTED:PHONE]", PhoneDetector.European(), PhoneDetector.IsNational),
    ];

    public static string RedactionFor(string kind)
    {
        foreach (var rule in All)
        {
            if (rule.Kind == kind)
                return rule.Redaction;
        }

        return $"[REDACTED:{kind.ToUpperInvariant()}]";
    }
}
