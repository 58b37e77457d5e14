namespace AgentSync.Scrubbing;

/// <summary>
/// Domain names reserved for documentation and testing (RFC 2606, RFC 6761, RFC 6762): an address under them cannot
/// belong to anyone, so it is never personal data.
/// </summary>
internal static class DocumentationNames
{
    private static readonly string[] ReservedSecondLevel = ["example.com", "example.net", "example.org"];
    private static readonly string[] ReservedTopLevel = ["example", "test", "invalid", "localhost", "local"];

    public static bool IsReserved(string domain)
    {
        foreach (var name in ReservedSecondLevel)
        {
            if (IsSameOrSubdomain(domain, name))
                return true;
        }

        var lastDot = domain.LastIndexOf('.');
        var topLevel = lastDot < 0 ? domain : domain[(lastDot + 1)..];
        return ReservedTopLevel.Contains(topLevel, StringComparer.OrdinalIgnoreCase);
    }

    public static bool IsSameOrSubdomain(string domain, string root) =>
        domain.Equals(root, StringComparison.OrdinalIgnoreCase)
        || (domain.Length > root.Length + 1
            && domain.EndsWith(root, StringComparison.OrdinalIgnoreCase)
            && domain[domain.Length - root.Length - 1] == '.');
}
