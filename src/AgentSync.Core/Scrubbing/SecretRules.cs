using System.Buffers;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// The secret table, modelled on the rules secret scanners publish (gitleaks' default config): a fixed prefix or shape
/// wherever the issuer defines one, because such rules almost never fire on ordinary text; then the keyword-plus-entropy
/// rule for everything else. Order matters: when two matches overlap, the earlier, more specific rule names the finding.
/// </summary>
internal static partial class SecretRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>The rules that scan content before a push.</summary>
    public static IReadOnlyList<SecretRule> All { get; } =
    [
        new("private-key", PrivateKey(), SecretChecks.HasKeyMaterial, SecretChecks.Always),
        new("aws-access-key", AwsAccessKey(), SecretChecks.NotAwsExample),
        new("github-token", GitHubToken(), SecretChecks.NotFake),
        new("gitlab-token", GitLabToken(), SecretChecks.NotFake),
        new("slack-webhook", SlackWebhook(), SecretChecks.NotFake),
        new("slack-token", SlackToken(), SecretChecks.NotFake),
        new("stripe-key", StripeKey(), SecretChecks.NotFake),
        new("google-api-key", GoogleApiKey(), SecretChecks.NotFake),
        new("anthropic-key", AnthropicKey(), SecretChecks.NotFake),
        new("openai-key", OpenAiKey(), SecretChecks.NotFake),
        new("supabase-secret-key", SupabaseSecretKey(), SecretChecks.NotFake),
        // Same pattern twice: a JWT whose claims carry the service role bypasses row-level security, so it gets its own name.
        new("supabase-service-key", Jwt(), SecretChecks.IsServiceRoleJwt),
        new("jwt", Jwt()),
        new("password-in-url", PasswordInUrl(), SecretChecks.RealUrlPassword, SecretChecks.Always),
        new("bearer-token", BearerToken(), SecretChecks.RandomValue, SecretChecks.Always),
        new("generic-secret", GenericAssignment(), SecretChecks.RandomAssignment, SecretChecks.MaskableAssignment)
        {
            Keywords = new(SearchValues.Create(["pass", "pwd", "secret", "api", "access", "private", "role", "anon", "token", "credential"], StringComparison.OrdinalIgnoreCase), GenericAssignmentAt()),
        },
    ];

    // PEM private keys of every flavour (RSA, EC, OPENSSH, PGP "PRIVATE KEY BLOCK", encrypted PKCS#8). The body is taken up
    // to the END line, or up to the first character a PEM body cannot hold when the paste was cut short.
    [GeneratedRegex(@"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?<body>[A-Za-z0-9+/=\s:,.-]*?)(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|(?=[^A-Za-z0-9+/=\s:,.-]|\z))", Options)]
    private static partial Regex PrivateKey();

    // Access key ids: AKIA long-term, ASIA temporary (STS), plus the rarer ABIA/ACCA/A3T prefixes; base32 body.
    [GeneratedRegex(@"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b", Options)]
    private static partial Regex AwsAccessKey();

    // Classic tokens (personal, OAuth, user-to-server, server-to-server, refresh) and fine-grained personal access tokens.
    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b", Options)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bgl(?:pat|dt|rt|ptt|ft|soat|oas)-[A-Za-z0-9_-]{20,}", Options)]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{40,}", Options)]
    private static partial Regex SlackWebhook();

    // Bot, app, user, refresh and legacy tokens: xoxb-, xoxa-, xoxp-, xoxr-, xoxs-.
    [GeneratedRegex(@"\bxox[baprs]-[A-Za-z0-9-]{10,250}", Options)]
    private static partial Regex SlackToken();

    // Secret and restricted keys; publishable pk_ keys are meant to be public.
    [GeneratedRegex(@"\b[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,99}\b", Options)]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", Options)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\bsk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_-]{32,}", Options)]
    private static partial Regex AnthropicKey();

    // Project, service-account and admin keys, and the legacy shape with "OpenAI" base64-encoded (T3BlbkFJ) in the middle.
    [GeneratedRegex(@"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])", Options)]
    private static partial Regex OpenAiKey();

    // Supabase's newer API keys; sb_publishable_ keys are public by design.
    [GeneratedRegex(@"\bsb_secret_[A-Za-z0-9_-]{20,}", Options)]
    private static partial Regex SupabaseSecretKey();

    // Header and claims are JSON objects, so both base64url segments start with eyJ ("{"").
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}(?![A-Za-z0-9_-])", Options)]
    private static partial Regex Jwt();

    // scheme://user:password@host. The password may contain an unencoded @, so the host starts after the last one.
    // The scheme sits in a lookbehind so the search jumps from one "://" to the next instead of trying every word.
    [GeneratedRegex(@"(?<=\b[A-Za-z][A-Za-z0-9+.-]{1,30})://(?<user>[^\s:/?#@""'<>]{0,256}):(?<secret>[^\s/?#""'<>]{1,256})@(?=[A-Za-z0-9\[])", Options)]
    private static partial Regex PasswordInUrl();

    [GeneratedRegex(@"\bBearer[ \t]+(?<secret>[A-Za-z0-9._~+/=-]{8,})", Options | RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    // key = value, key: value, key := value, "key": "value", KEY=value: the keyword may sit inside a longer name
    // (DB_PASSWORD, client_secret, x-api-key). Quoted values may hold spaces; bare values end at whitespace or punctuation.
    // Every match starts with one of the keywords listed with the rule (its KeywordSearch).
    private const string GenericAssignmentPattern = @"(?<key>passw(?:or)?d|passphrase|\bpwd|secret|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|role[_.-]?key|anon[_.-]?key|token|credentials?)[A-Za-z0-9_.-]{0,20}[""']?[ \t]{0,5}(?::=|=>|==|=|:)[ \t]{0,5}(?:""(?<secret>[^""\r\n]{1,200})""|'(?<secret>[^'\r\n]{1,200})'|`(?<secret>[^`\r\n]{1,200})`|(?<secret>[^\s""'`,;)\]}>]{1,200}))";

    [GeneratedRegex(GenericAssignmentPattern, Options | RegexOptions.IgnoreCase)]
    private static partial Regex GenericAssignment();

    // The same, matching only where the search starts (\G): tried at each keyword the rule's search finds.
    [GeneratedRegex(@"\G" + GenericAssignmentPattern, Options | RegexOptions.IgnoreCase)]
    private static partial Regex GenericAssignmentAt();
}
