using System.Text;
using AgentSync.Scrubbing;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Scrubbing;

/// <summary>
/// Documents stitched at random from PII, secrets, look-alikes and punctuation: whatever the neighbours of a match,
/// findings stay inside the content, in order, without overlaps; redaction leaves no PII and masking no secret behind.
/// </summary>
public sealed class ScanInvariantTests
{
    private static readonly string[] Fragments =
    [
        "alice@acme.io", "bob@example.com", "+44 20 7946 0958", "(415) 555-2671", "52.14.23.101", "127.0.0.1",
        "2a00:1450:4009:81f::200e", "4539 1488 0343 6467", "4242 4242 4242 4242", "git@github.com:org/repo.git",
        "password = \"q8Zr!x2Lp0vW9s\"", "token: str", "postgresql://app:Zq7-x9Lp2@db.acme.io/x", "Bearer abc.def-ghi_123456",
        "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5", "Password=p@ss word;", "version 1.2.3.4", "INFRA-123", "2026-03-27", "@pytest.mark.x",
        " ", " ", "\n", "\r\n", ", ", ".", ":", "-", "/", "@", "(", ")", "\"", "=", "0", "7", "x", "é", "—",
    ];

    [Fact]
    public void Findings_stay_inside_the_content_in_order_without_overlaps()
    {
        var random = new Random(20261125);
        var scanner = new ContentScanner(PiiPolicy.Default);

        for (var document = 0; document < 2000; document++)
        {
            // Fragments glued together: the neighbours of every match are as hostile as they get.
            var content = Document(random, separator: null);

            var findings = scanner.Scan(content);

            foreach (var (previous, next) in findings.Zip(findings.Skip(1)))
                Assert.True(previous.Index + previous.Length <= next.Index, $"overlap in {content}");
            Assert.All(findings, f => Assert.InRange(f.Index + f.Length, f.Length, content.Length));
        }
    }

    [Fact]
    public void Redacting_the_findings_leaves_no_pii()
    {
        var random = new Random(1125);
        var scanner = new ContentScanner(PiiPolicy.Default);

        for (var document = 0; document < 2000; document++)
        {
            // Separated by whitespace or punctuation: glued fragments can become PII only once a neighbour is replaced.
            var content = Document(random, separator: [" ", "\n", ", ", "\t", "; ", "\r\n"]);

            var found = scanner.Scan(content);
            var redacted = ContentScanner.Redact(content, found);

            var left = scanner.Scan(redacted).Where(f => f.Category == FindingCategory.Pii).Select(f => redacted.Substring(f.Index, f.Length)).ToList();
            Assert.True(left.Count == 0, $"still PII after redaction: {string.Join(", ", left)}\nin: {redacted}\nfrom: {content}\nfound: {string.Join(" | ", found.Select(f => f.Kind + "=" + content.Substring(f.Index, f.Length)))}");
        }
    }

    private static string Document(Random random, string[]? separator)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 40); i > 0; i--)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
            if (separator is not null)
                text.Append(separator[random.Next(separator.Length)]);
        }

        return text.ToString();
    }

    [Fact]
    public void Masked_text_holds_no_secret_the_scanner_would_find()
    {
        var random = new Random(42);
        var scanner = new ContentScanner(PiiPolicy.Default);
        for (var document = 0; document < 1000; document++)
        {
            var text = Document(random, separator: null);

            var masked = SecretMasker.Mask(text, _ => null);

            Assert.DoesNotContain(scanner.Scan(masked), f => f.Category == FindingCategory.Secret);
        }
    }

    [Fact]
    public void Rules_searched_by_keyword_find_exactly_what_the_whole_text_search_finds()
    {
        var filtered = SecretRules.All.Where(r => r.Keywords is not null).ToList();
        Assert.NotEmpty(filtered);
        var random = new Random(2611);
        var documents = Corpus.Files().Select(f => File.ReadAllText(Path.Combine(Corpus.AgenticDev, f)))
            .Concat(Enumerable.Range(0, 2000).Select(_ => Document(random, separator: null)))
            .Concat(
            [
                "pwd=Zq7x9Lp2Wq", "xpwd=Zq7x9Lp2Wq", "api_key:\r\nvalue", "a\ntoken = 'abc def'\nsecret: x\n", "token=",
                "TOKEN := \"Zq7x9Lp2\" ; secret=second\r\n\r\npassword: last", "=\n:\n", "credentials=a\ncredentials=b",
                "api_\u212Aey=Zq7x9Lp2Wq", "pa\u017F\u017Fword: Zq7x9Lp2", "to\u212Aen=Zq7x9Lp2Wq", "TO\u212AEN: Zq7x9Lp2Wq", "PASSPASSWORD=x", "tokentoken=a token=b", "secretsecret",
                "Api-Key: \"a b\"", "role.key=eyJh", "passphrase=correct horse",
            ]);
        foreach (var content in documents)
        {
            foreach (var rule in filtered)
            {
                var whole = new List<(int, int)>();
                for (var match = rule.Regex.Match(content); match.Success; match = match.NextMatch())
                    whole.Add((match.Index, match.Length));
                Assert.Equal(whole, rule.Matches(content).Select(m => (m.Index, m.Length)).ToList());
                Assert.Equal(whole.Select(m => SecretRule.SpanOf(rule.Regex.Match(content, m.Item1)).Index),
                    rule.Matches(content).Select(m => SecretRule.SpanOf(m).Index));
            }
        }
    }
}
