using AgentSync.Scrubbing;

namespace AgentSync.Tests.Scrubbing;

public sealed class SecretScanningTests
{
    private static readonly ContentScanner Scanner = new(PiiPolicy.Default);

    // template (expanded by FakeSecrets), expected kind, line, column of the reported span.
    public static TheoryData<string, string, int, int> Secrets => new()
    {
        { "aws_access_key_id = AKIA{U16}", "aws-access-key", 1, 21 },
        { "# creds\nexport AWS_ACCESS_KEY_ID=ASIA{U16}", "aws-access-key", 2, 26 },
        { "GITHUB_TOKEN: ghp_{A36}", "github-token", 1, 15 },
        { "git clone https://x-access-token:ghs_{A36}@github.com/acme/repo", "github-token", 1, 34 },
        { "fine-grained: github_pat_{A22}_{A59}", "github-token", 1, 15 },
        { "gitlab:\n  token = glpat-{W20}", "gitlab-token", 2, 11 },
        { "CI_TOKEN=gldt-{W24}", "gitlab-token", 1, 10 },
        { "SLACK_BOT_TOKEN=xoxb-{D12}-{D13}-{A24}", "slack-token", 1, 17 },
        { "- user token `xoxp-{D12}-{D12}-{D13}-{H32}`", "slack-token", 1, 15 },
        { "webhook: https://hooks.slack.com/services/T{A8}/B{A10}/{A24}", "slack-webhook", 1, 10 },
        { "notify https://hooks.slack.com/workflows/T{A10}/A{A10}/{A30}", "slack-webhook", 1, 8 },
        { "stripe.api_key = \"sk_live_{A24}\"", "stripe-key", 1, 19 },
        { "STRIPE_RESTRICTED=rk_live_{A32}", "stripe-key", 1, 19 },
        { "const maps = \"AIza{W35}\";", "google-api-key", 1, 15 },
        { "GOOGLE_API_KEY=AIza{W35}", "google-api-key", 1, 16 },
        { "ANTHROPIC_API_KEY=sk-ant-api03-{W93}AA", "anthropic-key", 1, 19 },
        { "client = Anthropic(api_key=\"sk-ant-admin01-{W93}AA\")", "anthropic-key", 1, 29 },
        { "OPENAI_API_KEY=sk-proj-{W74}T3BlbkFJ{W74}", "openai-key", 1, 16 },
        { "openai.api_key = 'sk-{A20}T3BlbkFJ{A20}'", "openai-key", 1, 19 },
        { "SUPABASE_SECRET=sb_secret_{W32}", "supabase-secret-key", 1, 17 },
        { "keys:\n\n  service: sb_secret_{W40}", "supabase-secret-key", 3, 12 },
        { "SUPABASE_SERVICE_ROLE_KEY={JWTSR}", "supabase-service-key", 1, 27 },
        { "{\"apikey\": \"{JWTSR}\"}", "supabase-service-key", 1, 13 },
        { "anon: {JWT}", "jwt", 1, 7 },
        { "curl -H \"Authorization: Bearer {JWT}\" https://x.supabase.co", "jwt", 1, 32 },
        { "url: postgresql://app:Zq7{A13}@db.acme.io:5432/prod", "password-in-url", 1, 23 },
        { "REDIS_URL=redis://default:q8Zr!x2Lp0vW9s@cache.acme.io:6379", "password-in-url", 1, 27 },
        { "curl -H 'Authorization: Bearer {A40}' https://api.acme.io", "bearer-token", 1, 32 },
        { "Authorization: bearer {W48}", "bearer-token", 1, 23 },
        { "password = \"q8Zr!x2Lp0vW9s\"", "generic-secret", 1, 13 },
        { "db:\n  DB_PASSWORD=Tr0ub4dor&3x", "generic-secret", 2, 15 },
        { "api_key: 3f9a8c2e7b1d4f6a9c0e5b8d7a2f1c4e", "generic-secret", 1, 10 },
        { "{\"client_secret\": \"Gx7_kP2-vQ9mZ4wL8rT1\"}", "generic-secret", 1, 20 },
        { "secret=\"Kp4!wZ9@qL2#xV7\"", "generic-secret", 1, 9 },
        { "  auth_token := nB4xK8pQ2mZ7vL9w", "generic-secret", 1, 17 },
        { "-----BEGIN RSA PRIVATE KEY-----\n{B64}\n{B64}\n{B20}==\n-----END RSA PRIVATE KEY-----", "private-key", 1, 1 },
        { "key:\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    {B70}\n    {B70}\n    -----END OPENSSH PRIVATE KEY-----", "private-key", 2, 5 },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Finds_secret_with_exact_kind_and_position(string template, string kind, int line, int column)
    {
        var content = FakeSecrets.Expand(template);

        var findings = Scanner.Scan(content);

        var finding = Assert.Single(findings);
        Assert.Equal((FindingCategory.Secret, kind, line, column), (finding.Category, finding.Kind, finding.Line, finding.Column));
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Preview_never_shows_the_whole_secret(string template, string kind, int line, int column)
    {
        _ = (kind, line, column);
        var content = FakeSecrets.Expand(template);

        var finding = Assert.Single(Scanner.Scan(content));
        var secret = content.Substring(finding.Index, finding.Length);

        Assert.Contains("****", finding.Preview, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, finding.Preview, StringComparison.Ordinal);
        Assert.True(finding.Preview.Length <= 12, finding.Preview);
    }

    public static TheoryData<string> NotSecrets => new()
    {
        "password = hunter2hunter2",
        "api_key: <your-key>",
        "token = ${GITHUB_TOKEN}",
        "password: changeme",
        "secret = \"xxxxxxxxxxxx\"",
        "password = ****",
        "api_key = os.environ[\"OPENAI_API_KEY\"]",
        "token = os.getenv('GITHUB_TOKEN')",
        "def connect(token: str, password: Optional[str] = None):",
        "Observability: guide remediation (`export GEMINI_API_KEY=...`)",
        "AWS documents AKIAIOSFODNN7EXAMPLE as its sample key id",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "DATABASE_URL=postgresql://user:password@localhost:5432/db",
        "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres",
        "remote: postgresql://postgres@127.0.0.1:5432/agent",
        "postgres://app:${PGPASSWORD}@db.acme.io:5432/x",
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "max_tokens: 4096",
        "tokenizer = AutoTokenizer.from_pretrained(\"gpt2\")",
        "publishable: pk_live_{A24}",
        "SUPABASE_PUBLISHABLE=sb_publishable_{W32}",
        "password_hash = bcrypt.hashpw(raw_password, salt)",
        "token_encoding: cl100k_base",
        "Authorization: Bearer <token>",
        "\"awsAuthRefresh\": \"aws sso login --profile my-aws-profile\"",
        "secret_name: prod-db-credentials-v2",
        "Test both `vertexai=True` and `api_key=` paths without hitting real APIs.",
        "Use the access token: see INFRA-044 for details",
        "password: \"{{ vault_db_password }}\"",
        "- [ ] Rotate the token (owner: @Security)",
        "token: expired-2024",
        "sha: 3a81fccbd4989c91b7deb6a691919bb28ce96b55",
        "\"NextToken\": \"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==\"",
        "page_token = \"Cg9wcm9qZWN0cy80Mjc2NTE0EhAKDmNvbnRhaW5lcnMvMTIz\"",
        "token_url: https://auth.acme.io/oauth/t0k3n",
        "\"token\": \"ACEGmnoq#1rstu2...BDFH3vxwy!4hlm!#5\"",
        "\"PreTokenGeneration\": \"arn:aws:lambda:us-east-1:123456789012:function:MyFunction\"",
        "api_key_id: 7f3c9a12-b4d8-4e6f-9a0b-1c2d3e4f5a6b",
    };

    [Theory]
    [MemberData(nameof(NotSecrets))]
    public void Ignores_placeholders_and_look_alikes(string template)
    {
        var content = FakeSecrets.Expand(template);

        Assert.Empty(Scanner.Scan(content));
    }

    [Fact]
    public void Secrets_are_reported_whatever_the_pii_policy_allows()
    {
        var everythingAllowed = new ContentScanner(new PiiPolicy(PiiMode.Redact, ["acme.io"], ["email", "phone", "ip-address", "card-number", "generic-secret", "github-token"]));
        var content = FakeSecrets.Expand("token: ghp_{A36}");

        Assert.Equal("github-token", Assert.Single(everythingAllowed.Scan(content)).Kind);
    }

    [Fact]
    public void Reports_every_finding_in_order_with_offsets()
    {
        var content = FakeSecrets.Expand("line one\nkey AKIA{U16} and ghp_{A36}\r\nmail bob@acme.io\n");

        var findings = Scanner.Scan(content);

        Assert.Equal(["aws-access-key", "github-token", "email"], findings.Select(f => f.Kind));
        Assert.Equal([(2, 5), (2, 30), (3, 6)], findings.Select(f => (f.Line, f.Column)));
        Assert.All(findings, f => Assert.Equal(f.Index, content.IndexOf(content.Substring(f.Index, f.Length), StringComparison.Ordinal)));
        Assert.Equal("bob@acme.io", content.Substring(findings[2].Index, findings[2].Length));
    }

    [Theory]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_****6789")]
    [InlineData("q8Zr!x2Lp0vW9s", "q****s")]
    [InlineData("hunter22", "h****2")]
    [InlineData("abc", "****")]
    [InlineData("-----BEGIN KEY\nAB\nCD\nEF\nGH\nIJ\nKL\n", "----**** KL ")]
    public void Preview_shows_at_most_a_quarter_on_one_line(string match, string preview) =>
        Assert.Equal(preview, Preview.Of(match));

    [Fact]
    public void Thousands_of_findings_are_all_reported_once()
    {
        var content = string.Concat(Enumerable.Range(0, 5000).Select(i => $"host 52.14.{i / 250}.{(i % 250) + 1} token ghp_{FakeSecrets.Expand("{A36}")}\n"));

        var findings = Scanner.Scan(content);

        Assert.Equal(10_000, findings.Count);
        Assert.Equal(5000, findings.Count(f => f.Kind == "github-token"));
        Assert.All(findings.Zip(findings.Skip(1)), pair => Assert.True(pair.First.Index + pair.First.Length <= pair.Second.Index));
    }

    [Theory]
    [InlineData("hunter2hunter2", false)]
    [InlineData("q8Zr!x2Lp0vW9s", true)]
    [InlineData("Tr0ub4dor&3x", true)]
    [InlineData("cl100k_base", false)]
    [InlineData("correct horse battery staple", false)]
    [InlineData("3f9a8c2e7b1d4f6a9c0e5b8d7a2f1c4e", true)]
    [InlineData("aaaaaaaa1", false)]
    public void Entropy_separates_random_values_from_words(string value, bool random) =>
        Assert.Equal(random, Entropy.LooksRandom(value));

    [Fact]
    public void Shannon_entropy_matches_the_textbook_values()
    {
        Assert.Equal(0, Entropy.Shannon("aaaa"), 6);
        Assert.Equal(1, Entropy.Shannon("abab"), 6);
        Assert.Equal(2, Entropy.Shannon("abcd"), 6);
    }
}
