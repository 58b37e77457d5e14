namespace AgentSync.Scrubbing;

/// <summary>The PII table. Order matters where matches overlap: the earlier rule names the finding.</summary>
internal static class PiiRules
{
    // Card numbers before phone numbers: a grouped card number must not also be reported as a phone.
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
