namespace AgentSync.Scrubbing;

/// <summary>What a push does with personal data: refuse it, or replace it (in the local file too) with a marker.</summary>
public enum PiiMode
{
    Block,
    Redact,
}

/// <summary>
/// <see cref="AllowedDomains"/> lets a team publish its own addresses (a domain also allows its subdomains);
/// <see cref="AllowedKinds"/> switches off whole PII kinds such as "ip-address". Secrets cannot be allowed.
/// </summary>
public sealed record PiiPolicy(PiiMode Mode, IReadOnlyList<string> AllowedDomains, IReadOnlyList<string> AllowedKinds)
{
    public static PiiPolicy Default { get; } = new(PiiMode.Block, [], []);

    internal bool AllowsKind(string kind) => AllowedKinds.Any(k => string.Equals(k.Trim(), kind, StringComparison.OrdinalIgnoreCase));

    internal bool AllowsDomain(string domain)
    {
        foreach (var allowed in AllowedDomains)
        {
            var root = allowed.Trim().TrimStart('@', '.');
            if (root.Length > 0 && DocumentationNames.IsSameOrSubdomain(domain, root))
                return true;
        }

        return false;
    }
}
