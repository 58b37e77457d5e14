using System.Text;
using System.Text.RegularExpressions;

namespace AgentSync.Scrubbing;

/// <summary>
/// Checks content before it leaves the machine. Every secret is reported (secrets block a push whatever the policy);
/// PII is reported unless the policy allows its kind or, for e-mail, its domain. Where matches overlap, one finding
/// is kept: secrets before PII, specific rules before generic ones, so each character is reported at most once.
/// </summary>
public sealed class ContentScanner
{
    private readonly PiiPolicy _policy;

    public ContentScanner(PiiPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    public IReadOnlyList<Finding> Scan(string content)
    {
        ArgumentNullException.ThrowIfNull(content);

        var candidates = new List<Candidate>();
        var rank = 0;
        foreach (var rule in SecretRules.All)
        {
            foreach (var match in rule.Matches(content))
            {
                if (rule.IsSecret is null || rule.IsSecret(content, match))
                {
                    var span = SecretRule.SpanOf(match);
                    candidates.Add(new(rank, FindingCategory.Secret, rule.Kind, span.Index, span.Length));
                }
            }

            rank++;
        }

        foreach (var rule in PiiRules.All)
        {
            // The regex of a kind the policy allows is not even run: allowing ip-address must also cost nothing.
            if (!_policy.AllowsKind(rule.Kind))
            {
                for (var match = rule.Regex.Match(content); match.Success; match = match.NextMatch())
                {
                    if (rule.IsPii(content, match, _policy))
                    {
                        var (index, length) = PiiRule.SpanOf(match);
                        candidates.Add(new(rank, FindingCategory.Pii, rule.Kind, index, length));
                    }
                }
            }

            rank++;
        }

        return candidates.Count == 0 ? [] : ToFindings(content, candidates);
    }

    /// <summary>
    /// Replaces each PII finding with a marker such as [REDACTED:EMAIL]. Secrets are left in place: they are never
    /// redacted into a push, they block it. The findings must come from scanning this very content.
    /// </summary>
    public static string Redact(string content, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(findings);

        var pii = findings.Where(f => f.Category == FindingCategory.Pii).OrderBy(f => f.Index).ToList();
        if (pii.Count == 0)
            return content;

        var redacted = new StringBuilder(content.Length);
        var position = 0;
        foreach (var finding in pii)
        {
            if (finding.Index < 0 || finding.Length < 0 || finding.Index + finding.Length > content.Length)
                throw new ArgumentException($"A {finding.Kind} finding at {finding.Index} lies outside the content; scan this content first.", nameof(findings));
            if (finding.Index < position)
                continue;

            redacted.Append(content, position, finding.Index - position).Append(PiiRules.RedactionFor(finding.Kind));
            position = finding.Index + finding.Length;
        }

        return redacted.Append(content, position, content.Length - position).ToString();
    }

    private static List<Finding> ToFindings(string content, List<Candidate> candidates)
    {
        var kept = new List<Candidate>(candidates.Count);

        // Secrets: where two rules match the same text, the earlier (more specific) rule names it.
        foreach (var secret in candidates.Where(c => c.Category == FindingCategory.Secret).OrderBy(c => c.Rank).ThenBy(c => c.Index))
            TryKeep(kept, secret);

        // PII: overlapping matches merge into one finding that covers them all, so redacting the findings leaves no remnant
        // a second scan would report. A PII finding that touches a secret is dropped: the secret blocks the push anyway.
        foreach (var pii in MergeOverlaps(candidates.Where(c => c.Category == FindingCategory.Pii).OrderBy(c => c.Index)))
            TryKeep(kept, pii);

        var lines = new LineMap(content);
        return kept.ConvertAll(c =>
        {
            var (line, column) = lines.Locate(c.Index);
            return new Finding(c.Category, c.Kind, line, column, c.Index, c.Length, Preview.Of(content.AsSpan(c.Index, c.Length)));
        });
    }

    // Kept findings never overlap and stay in index order, so only the neighbours of a newcomer can collide with it; this
    // keeps a file with thousands of findings (an address list) n log n instead of quadratic.
    private static void TryKeep(List<Candidate> kept, Candidate candidate)
    {
        var at = kept.BinarySearch(candidate, ByIndex);
        if (at < 0)
            at = ~at;
        var overlapsPrevious = at > 0 && kept[at - 1].Index + kept[at - 1].Length > candidate.Index;
        var overlapsNext = at < kept.Count && kept[at].Index < candidate.Index + Math.Max(candidate.Length, 1);
        if (!overlapsPrevious && !overlapsNext)
            kept.Insert(at, candidate);
    }

    private static IEnumerable<Candidate> MergeOverlaps(IEnumerable<Candidate> inIndexOrder)
    {
        Candidate? open = null;
        foreach (var candidate in inIndexOrder)
        {
            if (open is { } current && candidate.Index < current.Index + current.Length)
            {
                var end = Math.Max(current.Index + current.Length, candidate.Index + candidate.Length);
                var name = candidate.Rank < current.Rank ? candidate : current;
                open = name with { Index = current.Index, Length = end - current.Index };
                continue;
            }

            if (open is { } finished)
                yield return finished;
            open = candidate;
        }

        if (open is { } last)
            yield return last;
    }

    private static readonly Comparer<Candidate> ByIndex = Comparer<Candidate>.Create(static (a, b) => a.Index.CompareTo(b.Index));

    private readonly record struct Candidate(int Rank, FindingCategory Category, string Kind, int Index, int Length);
}
