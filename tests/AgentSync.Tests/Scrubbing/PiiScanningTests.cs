using AgentSync.Scrubbing;

namespace AgentSync.Tests.Scrubbing;

public sealed class PiiScanningTests
{
    private static readonly ContentScanner Scanner = new(PiiPolicy.Default);

    public static TheoryData<string, string, int, int> Pii => new()
    {
        { "Contact alice.smith@acme.io for access", "email", 1, 9 },
        { "## Owners\n- reviewer: bob+sync@mail.acme-corp.co.uk", "email", 2, 13 },
        { "mailto:carol@gmail.com", "email", 1, 8 },
        { "Signed-off-by: Dave Jones <dave.jones@fastmail.fm>", "email", 1, 28 },
        { "Call +44 20 7946 0958 after 9", "phone", 1, 6 },
        { "US: +1 (415) 555-2671", "phone", 1, 5 },
        { "on-call: (415) 555-2671", "phone", 1, 10 },
        { "phone 415.555.2671", "phone", 1, 7 },
        { "Tel. 01 42 68 53 00", "phone", 1, 6 },
        { "office 020 7946 0958", "phone", 1, 8 },
        { "+49 30 901820", "phone", 1, 1 },
        { "connect to 52.14.23.101:5432", "ip-address", 1, 12 },
        { "| client |\n| blocked client 81.2.69.160. |", "ip-address", 2, 18 },
        { "egress via 2a00:1450:4009:81f::200e", "ip-address", 1, 12 },
        { "dns: [2606:4700:4700::1111]:53", "ip-address", 1, 7 },
        { "allow 52.14.23.101/32 only", "ip-address", 1, 7 },
        { "card 4539 1488 0343 6467 on file", "card-number", 1, 6 },
        { "pan=5425-2334-3010-9903", "card-number", 1, 5 },
        { "amex 3782 822463 11110", "card-number", 1, 6 },
        { "6011987654321019", "card-number", 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Pii))]
    public void Finds_pii_with_exact_kind_and_position(string content, string kind, int line, int column)
    {
        var findings = Scanner.Scan(content);

        var finding = Assert.Single(findings);
        Assert.Equal((FindingCategory.Pii, kind, line, column), (finding.Category, finding.Kind, finding.Line, finding.Column));
        Assert.DoesNotContain(content.Substring(finding.Index, finding.Length), finding.Preview, StringComparison.Ordinal);
    }

    public static TheoryData<string> NotPii => new()
    {
        "Reviewer: alice@example.com, bob@mail.example.org, carol@example.net",
        "CI mails dev@ci.test and ops@app.localhost and x@foo.invalid and y@docs.example",
        "git remote add origin git@github.com:jhcook/agentic-dev.git",
        "clone ssh://git@gitlab.acme.io/org/repo.git",
        "@pytest.mark.asyncio\nasync def test_push():",
        "@dataclass(frozen=True)\nclass Change:",
        "npm i -D @types/node @modelcontextprotocol/server-github @dnd-kit/core",
        "Co-authored-by: octo <12345+octocat@users.noreply.github.com>",
        "assets/icon@2x.png and logo@3x.webp",
        "pip install 'agent @ file:///tmp/agent-1.0.whl'",
        "Released version 1.2.3.4 today (build: 4.1.0.7)",
        "listen on 0.0.0.0:8080 and http://127.0.0.1:54321/rest/v1",
        "docs use 192.0.2.15, 198.51.100.7 and 203.0.113.254",
        "private 10.0.0.12, 192.168.1.20, 172.20.0.5, 100.64.0.1, 169.254.169.254",
        "resolvers 8.8.8.8 and 1.1.1.1; netmask 255.255.255.0",
        "OID 1.3.6.1.4.1.311 and five-part 2.4.6.8.10",
        "Created 2026-03-27, updated 2026-03-27T12:30:45+01:00, at 12:30:45.123Z",
        "See INFRA-123-456-7890 and WEB-0012; story INFRA-004",
        "ports 5432, 8080 and 54321; sizes 256 512 1024 2048",
        "semver 10.2.30, 1.0.0-rc.1, +1.2.3 and v2.10.100.1",
        "commit 3a81fccbd4989c91b7deb6a691919bb28ce96b55",
        "time 12:30:45 and MAC 00:1a:2b:3c:4d:5e",
        "C++ std::vector<int> and Rust Add::add, dead::beef",
        "IPv6 docs 2001:db8::1, link-local fe80::1, loopback ::1, ULA fd00::5",
        "Stripe test card 4242 4242 4242 4242 and 4111111111111111",
        "epoch ms 1700000000000 and 1732550400000",
        "Luhn fails: 4539 1488 0343 6468",
        "fictional (555) 555-0123 and 555-555-0199",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
        "ids 021-021-021-021-021-021 and 3833073209",
        "zeros 0000 0000 0000 0000",
        "Python 3.12.1 on Ubuntu 22.04; NET 10.0.100",
        "range 1-2-3-4-5-6-7-8-9",
        "phone +1 (555) 555-0100 in the docs",
        "--phone-number +1555550100 and \"Value\": \"+12065551212\" and +15555551212",
        "--cidr 130.137.249.0/24 and \"Ipv6CidrBlock\": \"2600:1f13:cfe:3660::/64\" and 54.231.0.0/16",
        "--resource-arn arn:aws:apigateway:us-west-2::/apis/a1b2c3d4",
        "runs as 1234567-compute@developer.gserviceaccount.com",
        "* python-build: Add IronPython 2.7.6.3 (#716)",
        "if sample[1::2] == _null2 and a[10::20]:",
        "as in HTML5 Working Draft Section 4.10.22.7 and § 12.4.3.1",
    };

    [Theory]
    [MemberData(nameof(NotPii))]
    public void Ignores_engineering_text_that_only_looks_personal(string content)
    {
        var findings = Scanner.Scan(content);

        Assert.True(findings.Count == 0, string.Join(", ", findings.Select(f => $"{f.Kind}@{f.Line}:{f.Column} {content.Substring(f.Index, f.Length)}")));
    }

    [Theory]
    [InlineData("4539 1488 0343 6467 52.14.23.101", "card-number,ip-address")]
    [InlineData("4539 1488 0343 6467 2a00:1450:4009:81f::200e", "card-number,ip-address")]
    [InlineData("+44 20 7946 0958 52.14.23.101", "phone,ip-address")]
    [InlineData("alice@acme.io,+44 20 7946 0958;81.2.69.160", "email,phone,ip-address")]
    [InlineData("4539 1488 0343 6467 1234 5678", "")]
    public void Adjacent_pii_is_found_piece_by_piece(string content, string kinds) =>
        Assert.Equal(kinds, string.Join(',', Scanner.Scan(content).Select(f => f.Kind)));

    [Fact]
    public void Overlapping_pii_becomes_one_finding_that_redacts_completely()
    {
        const string content = "host 2a00:1450:4009:81f::200e@acme-mail.io end";

        var finding = Assert.Single(Scanner.Scan(content));

        Assert.Equal(("email", "2a00:1450:4009:81f::200e@acme-mail.io"), (finding.Kind, content.Substring(finding.Index, finding.Length)));
        Assert.Equal("host [REDACTED:EMAIL] end", ContentScanner.Redact(content, [finding]));
    }

    [Fact]
    public void Allowed_domains_cover_their_subdomains_only()
    {
        var scanner = new ContentScanner(new PiiPolicy(PiiMode.Block, ["acme.io"], []));

        var findings = scanner.Scan("alice@acme.io, bob@eu.acme.io, eve@notacme.io, mallory@acme.io.evil.com");

        Assert.Equal(["eve@notacme.io", "mallory@acme.io.evil.com"], findings.Select(f => f.Preview.Length > 0 ? Text(f) : ""));

        string Text(Finding f) => "alice@acme.io, bob@eu.acme.io, eve@notacme.io, mallory@acme.io.evil.com".Substring(f.Index, f.Length);
    }

    [Fact]
    public void Allowed_kinds_are_not_reported_but_others_are()
    {
        var scanner = new ContentScanner(new PiiPolicy(PiiMode.Block, [], ["IP-Address"]));

        var findings = scanner.Scan("host 52.14.23.101 and 2a00:1450:4009:81f::200e, owner alice@acme.io");

        Assert.Equal("email", Assert.Single(findings).Kind);
    }

    [Fact]
    public void Default_policy_blocks_and_allows_nothing()
    {
        Assert.Equal(PiiMode.Block, PiiPolicy.Default.Mode);
        Assert.Empty(PiiPolicy.Default.AllowedDomains);
        Assert.Empty(PiiPolicy.Default.AllowedKinds);
    }

    [Fact]
    public void Redact_replaces_pii_and_leaves_secrets_and_everything_else_intact()
    {
        var content = FakeSecrets.Expand("# Owner\r\nalice@acme.io, +44 20 7946 0958\r\nhost 52.14.23.101 card 4539 1488 0343 6467\r\ntoken ghp_{A36}\r\n");
        var findings = Scanner.Scan(content);

        var redacted = ContentScanner.Redact(content, findings);

        var token = content[content.IndexOf("ghp_", StringComparison.Ordinal)..].Split('\r')[0];
        Assert.Equal($"# Owner\r\n[REDACTED:EMAIL], [REDACTED:PHONE]\r\nhost [REDACTED:IP] card [REDACTED:CARD]\r\ntoken {token}\r\n", redacted);
        Assert.Equal(["github-token"], Scanner.Scan(redacted).Select(f => f.Kind));
    }

    [Fact]
    public void Redact_without_pii_returns_the_content_unchanged()
    {
        const string content = "nothing personal here\n";

        Assert.Same(content, ContentScanner.Redact(content, Scanner.Scan(content)));
    }

    [Fact]
    public void Redact_refuses_findings_from_other_content()
    {
        var findings = Scanner.Scan("a long line that mentions alice@acme.io at the end");

        Assert.Throws<ArgumentException>(() => ContentScanner.Redact("short", findings));
    }
}
