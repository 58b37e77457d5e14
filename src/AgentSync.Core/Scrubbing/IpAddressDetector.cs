using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// IP addresses that can point at a person: public unicast only. Loopback, unspecified, private (RFC 1918, ULA),
/// link-local, shared (CGNAT), multicast, benchmarking and documentation ranges (RFC 5737, RFC 3849) identify no one and
/// fill every runbook, so they are not PII; neither are a few public resolvers everybody writes (8.8.8.8, 1.1.1.1).
/// </summary>
internal static partial class IpAddressDetector
{
    private static readonly string[] PublicResolvers = ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9"];

    // Four dotted octets without leading zeros, not part of a longer dotted run (OIDs, five-part versions, dates).
    // The first octet sits in a lookbehind so the search starts at dots rather than at every digit.
    [GeneratedRegex(@"(?<=(?<![\w.])(?<start>25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))\.(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){2}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?!\w|\.[0-9])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex V4Candidates();

    // Colon-separated hex groups; IPAddress.TryParse is the real judge, the regex only finds places worth asking.
    // The first group sits in a lookbehind so the search starts at colons, not at every hex letter of the text.
    [GeneratedRegex(@"(?<=(?<![\w:.-])(?<start>[0-9A-Fa-f]{0,4})):[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,6}(?![\w:]|\.[0-9])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex V6Candidates();

    // "version 1.2.3.4", "build: 10.0.1.2", "Section 4.10.22.7": a version or section number, not an address.
    [GeneratedRegex(@"(?:\bv|\bversions?|\bver|\brelease|\bbuild|\brevision|\brev|\bsdk|\bfirmware|\bsections?|\bsec|§|\bchapter|\bclause|\bparagraph|\bstep|\bfigure)[\s:=]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VersionContext();

    public static bool IsPiiV4(string content, Match match, PiiPolicy policy)
    {
        var (start, length) = PiiRule.SpanOf(match);
        var text = content.AsSpan(start, length);
        if (!IPAddress.TryParse(text, out var address))
            return false;

        // Cheapest tests first: loopback and private addresses fill runbooks, a version word nearby is rare.
        var b = address.GetAddressBytes();
        if (!IsPublicV4(b) || IsNetwork(content, start + length, 32) || PublicResolvers.Contains(address.ToString()))
            return false;

        // 1.2.3.4 and 2.7.6.3 are placeholders or versions far more often than someone's address; x.y.z.0 names a network.
        if (b.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)9) < 0 || b[3] == 0)
            return false;

        var lineStart = start == 0 ? 0 : content.LastIndexOfAny(['\n', '\r'], start - 1) + 1;
        var contextStart = Math.Max(lineStart, start - 24);
        return !VersionContext().IsMatch(content.AsSpan(contextStart, start - contextStart));
    }

    public static bool IsPiiV6(string content, Match match, PiiPolicy policy)
    {
        var (start, length) = PiiRule.SpanOf(match);
        var text = content.AsSpan(start, length);
        // Rust and C++ paths (Add::add, beef::cafe) parse as IPv6 but have no digit; a real address always has one.
        // An ARN region ("us-west-2::/apis") has a single group.
        if (!text.ContainsAnyInRange('0', '9') || (text.Count(':') < 7 && !text.Contains("::", StringComparison.Ordinal)))
            return false;
        if (!HasAddressGroups(text) || IsNetwork(content, start + length, 128))
            return false;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        if (address.IsIPv4MappedToIPv6)
            return IsPublicV4(address.MapToIPv4().GetAddressBytes());

        var b = address.GetAddressBytes();
        var unspecifiedOrLoopback = b.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0;
        var documentation = (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // 2001:db8::/32
            || (b[0] == 0x3f && b[1] == 0xff && b[2] < 0x10);                                // 3fff::/20
        return !(unspecifiedOrLoopback || documentation || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
    }

    /// <summary>A CIDR block such as 52.14.0.0/16 or 2600:1f13::/56 describes a network, not a host anyone uses.</summary>
    private static bool IsNetwork(string content, int end, int hostPrefix)
    {
        if (end >= content.Length || content[end] != '/')
            return false;

        var digits = content.AsSpan(end + 1);
        var length = digits.IndexOfAnyExceptInRange('0', '9');
        digits = length < 0 ? digits : digits[..length];
        return digits.Length is 1 or 2 or 3 && int.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture) < hostPrefix;
    }

    // Python slices (sample[1::2], a[10::20]) have one or two short groups; an address has at least two groups and,
    // when compressed with ::, one of three or more hex digits (fe80::1, 2001:db8::1).
    private static bool HasAddressGroups(ReadOnlySpan<char> text)
    {
        int groups = 0, longest = 0;
        foreach (var range in text.Split(':'))
        {
            var length = text[range].Length;
            groups += length > 0 ? 1 : 0;
            longest = Math.Max(longest, length);
        }

        return groups >= 2 && (groups == 8 || longest >= 3);
    }

    private static bool IsPublicV4(byte[] b) => b[0] switch
    {
        0 or 10 or 127 => false,
        >= 224 => false,                                  // multicast, reserved, broadcast
        100 when b[1] is >= 64 and < 128 => false,        // shared address space (CGNAT)
        169 when b[1] == 254 => false,                    // link-local
        172 when b[1] is >= 16 and < 32 => false,         // RFC 1918
        192 when b[1] == 168 => false,                    // RFC 1918
        192 when b[1] == 0 && b[2] is 0 or 2 => false,    // IETF protocol assignments, TEST-NET-1
        198 when b[1] is 18 or 19 => false,               // benchmarking
        198 when b[1] == 51 && b[2] == 100 => false,      // TEST-NET-2
        203 when b[1] == 0 && b[2] == 113 => false,       // TEST-NET-3
        _ => true,
    };
}
