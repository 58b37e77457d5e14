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

    public static Group SpanOf(Match match)
    {
        var secret = match.Groups[SecretGroup];
        return secret.Success ? secret : match;
    }
}
