using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentSync.Tests.Scrubbing;

/// <summary>
/// Builds real-looking secrets at run time from templates such as "ghp_{A36}", so the test sources hold no token that a
/// push-protection scanner would (rightly) refuse. Deterministic: the same template always expands to the same text.
/// {An} mixed-case alphanumerics, {Ln} lower-case alphanumerics, {Un} AWS base32, {Hn} hex, {Dn} digits, {Wn} base64url,
/// {Bn} base64, {JWT} an anon-role JWT, {JWTSR} a service-role JWT.
/// </summary>
internal static partial class FakeSecrets
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Hex = "0123456789abcdef";
    private const string Digits = "0123456789";
    private const string Base64UrlChars = Alnum + "_-";
    private const string Base64Chars = Alnum + "+/";

    [GeneratedRegex(@"\{(?<kind>JWTSR|JWT|[ALUHDWB])(?<n>[0-9]*)\}")]
    private static partial Regex Placeholder();

    public static string Expand(string template)
    {
        var random = new Random(template.Length * 7919);
        return Placeholder().Replace(template, m =>
        {
            var kind = m.Groups["kind"].Value;
            if (kind.StartsWith("JWT", StringComparison.Ordinal))
                return Jwt(kind == "JWTSR" ? "service_role" : "anon", random);

            var n = int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var alphabet = kind switch
            {
                "A" => Alnum,
                "L" => Lower,
                "U" => Base32,
                "H" => Hex,
                "D" => Digits,
                "W" => Base64UrlChars,
                _ => Base64Chars,
            };
            return Random(alphabet, n, random);
        });
    }

    private static string Random(string alphabet, int length, Random random)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // Real tokens rarely repeat a character; the scanner treats long runs as "xxxx" placeholders.
            do
                chars[i] = alphabet[random.Next(alphabet.Length)];
            while (i > 0 && chars[i] == chars[i - 1]);
        }

        return new string(chars);
    }

    private static string Jwt(string role, Random random)
    {
        static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var header = Segment("""{"alg":"HS256","typ":"JWT"}""");
        var claims = Segment($$"""{"iss":"supabase","ref":"{{Random(Lower, 20, random)}}","role":"{{role}}","iat":1700000000,"exp":2000000000}""");
        return $"{header}.{claims}.{Random(Base64UrlChars, 43, random)}";
    }
}
