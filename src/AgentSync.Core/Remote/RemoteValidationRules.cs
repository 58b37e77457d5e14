using System.Text.RegularExpressions;

namespace AgentSync.Remote;

/// <summary>The id rule shared by the client and every remote: no separators, no dot-dot, nothing that leaves a folder.</summary>
public static partial class RemoteValidationRules
{
    public static bool IsSafeId(string id) => SafeId().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
