using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// Payment card numbers: 13 to 19 digits, ungrouped or grouped the way cards print them, with an issuer prefix and a
/// valid Luhn check digit. One random digit run in ten passes Luhn, so the prefix and grouping do most of the filtering.
/// The test numbers card networks and payment providers publish for documentation are not PII.
/// </summary>
internal static partial class CardNumberDetector
{
    private static readonly string[] PublishedTestNumbers =
    [
        "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "4000000000000002",
        "5555555555554444", "5105105105105100", "2223003122003222", "378282246310005", "371449635398431",
        "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667", "3566002020360505",
    ];

    private static readonly int[][] Groupings = [[4, 4, 4, 4], [4, 4, 4, 4, 3], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 2]];

    // Either one run of digits or groups of 4 first: the search then looks for four digits in a row, which skips the
    // short numbers (sections, counts, versions) that fill engineering text. A following digit group means the number
    // goes on (a longer id), but a following address or date ("... 6467 52.14.23.101") does not.
    [GeneratedRegex(@"(?<![\w.+/-])[0-9]{4}(?:[0-9]{9,15}|(?<sep>[ -])[0-9]{4,6}(?:\k<sep>[0-9]{1,5}){1,3})(?!\w|[.,][0-9]|[ -][0-9]{1,4}(?![\w.:]))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex Candidates();

    public static bool IsPii(string content, Match match, PiiPolicy policy)
    {
        var text = match.ValueSpan;
        Span<char> digits = stackalloc char[text.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
                digits[count++] = c;
        }

        var number = digits[..count];
        return IsGroupedLikeACard(text)
            && HasIssuerPrefix(number)
            && number.IndexOfAnyExcept(number[0]) >= 0
            && PassesLuhn(number)
            && !PublishedTestNumbers.Contains(number.ToString());
    }

    private static bool IsGroupedLikeACard(ReadOnlySpan<char> text)
    {
        var separatorAt = text.IndexOfAny(' ', '-');
        if (separatorAt < 0)
            return true;

        var separator = text[separatorAt];
        Span<int> lengths = stackalloc int[text.Length];
        var groups = 0;
        foreach (var range in text.Split(separator))
        {
            var group = text[range];
            if (group.IsEmpty || group.ContainsAnyExceptInRange('0', '9'))
                return false;
            lengths[groups++] = group.Length;
        }

        foreach (var grouping in Groupings)
        {
            if (lengths[..groups].SequenceEqual(grouping))
                return true;
        }

        return false;
    }

    // Visa 4; Mastercard 51-55 and 2221-2720; Amex 34, 37; Diners 30, 36, 38; JCB 35; Discover and UnionPay 6.
    private static bool HasIssuerPrefix(ReadOnlySpan<char> number)
    {
        var two = (number[0] - '0') * 10 + (number[1] - '0');
        var four = (two * 100) + ((number[2] - '0') * 10) + (number[3] - '0');
        return number[0] switch
        {
            '4' => number.Length is 13 or 16 or 19,
            '5' => two is >= 51 and <= 55 && number.Length == 16,
            '2' => four is >= 2221 and <= 2720 && number.Length == 16,
            '3' => (two is 34 or 37 && number.Length == 15) || (two is 30 or 36 or 38 && number.Length is 14 or 16) || (two == 35 && number.Length is >= 16 and <= 19),
            '6' => number.Length is >= 16 and <= 19,
            _ => false,
        };
    }

    private static bool PassesLuhn(ReadOnlySpan<char> number)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            var d = number[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
