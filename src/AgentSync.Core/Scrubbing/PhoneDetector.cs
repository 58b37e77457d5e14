using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// Phone numbers: international (+CC, E.164 length) and the national formats people actually write, all with separators.
/// Bare digit runs are left alone on purpose: in engineering text they are ids, sizes, timestamps and hashes.
/// Dates, versions, ports and ids such as INFRA-123 are excluded by the shapes and by the surrounding characters.
/// National shapes must not be a slice of a longer run of digit groups (an id, a card number, a table row).
/// Each shape has its own regex that starts with, or holds at a fixed distance, a rarer character than a digit
/// (+, the parenthesis, the separator, the trunk 0), so the search does not stop at every digit of the text.
/// </summary>
internal static partial class PhoneDetector
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace;

    // +44 20 7946 0958, +1 (415) 555-2671, +4930901820.
    [GeneratedRegex("""
        (?<![\w+/.#-])
        \+[1-9][0-9]{0,2}(?:[ .-]?\([0-9]{1,4}\))?[ .-]?[0-9]{1,12}(?:[ .-][0-9]{1,8}){0,5}
        (?![\w-]|[.:/,][0-9])
        """, Options)]
    public static partial Regex International();

    // (415) 555-2671.
    [GeneratedRegex("""
        (?<![\w+/.#-])
        \([2-9][0-9]{2}\)[ ]?[0-9]{3}[-. ][0-9]{4}
        (?![\w-]|[.:/,][0-9])
        """, Options)]
    public static partial Regex NorthAmericanParenthesized();

    // 415-555-2671, 415.555.2671: the separator at a fixed distance is what the search looks for.
    [GeneratedRegex("""
        (?<![\w+/.#-]|[0-9][ .-])
        [2-9][0-9]{2}(?<sep>[-.])[0-9]{3}\k<sep>[0-9]{4}
        (?![\w-]|[.:/,][0-9]|[ ][0-9])
        """, Options)]
    public static partial Regex NorthAmerican();

    // National trunk prefix 0: 01 42 68 53 00 (France), 020 7946 0958 and 07700 900123 (UK).
    [GeneratedRegex("""
        (?<![\w+/.#-]|[0-9][ .-])
        0[1-9](?:(?<pair>[ .])[0-9]{2}(?:\k<pair>[0-9]{2}){3}|[0-9]{1,3}[ ][0-9]{3,4}[ ][0-9]{3,4})
        (?![\w-]|[.:/,][0-9]|[ ][0-9])
        """, Options)]
    public static partial Regex European();

    public static bool IsInternational(string content, Match match, PiiPolicy policy)
    {
        Span<char> digits = stackalloc char[match.Length];
        var number = Digits(match.ValueSpan, digits);
        // E.164 allows at most 15 digits; fewer than 9 is a count or a version, not a reachable number.
        if (number.Length is < 9 or > 15)
            return false;

        // Country code 1 is the North American plan: exactly ten digits follow.
        return number[0] != '1' || (number.Length == 11 && !IsFictionalNorthAmerican(number[1..]));
    }

    public static bool IsNational(string content, Match match, PiiPolicy policy)
    {
        Span<char> digits = stackalloc char[match.Length];
        return !IsFictionalNorthAmerican(Digits(match.ValueSpan, digits));
    }

    private static Span<char> Digits(ReadOnlySpan<char> text, Span<char> buffer)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
                buffer[count++] = c;
        }

        return buffer[..count];
    }

    // 555-0100 to 555-0199 are reserved for fiction and documentation (the NANP's RFC 5737), 555-1212 is directory
    // assistance, and area code 555 is not in service: all three fill examples, none reaches a person.
    private static bool IsFictionalNorthAmerican(ReadOnlySpan<char> tenDigits) =>
        tenDigits.Length == 10
        && (tenDigits[..3].SequenceEqual("555")
            || (tenDigits[3..6].SequenceEqual("555") && (tenDigits[6..8].SequenceEqual("01") || tenDigits[6..].SequenceEqual("1212"))));
}
