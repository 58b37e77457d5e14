using System.Text;
using System.Text.Json;

namespace AgentSync.Sync;

/// <summary>
/// Who is acting, for authors and the audit trail: the e-mail in the user's JWT when one is used, else
/// <c>SUPABASE_USER</c>, else git's <c>user.email</c>, else the OS user name.
/// </summary>
public sealed record Identity(string Email, string Source)
{
    public static Identity Resolve(string workspaceRoot)
    {
        if (EmailFromJwt(Environment.GetEnvironmentVariable("SUPABASE_ACCESS_TOKEN")) is { } jwtEmail)
            return new Identity(jwtEmail, "jwt");
        if (Environment.GetEnvironmentVariable("SUPABASE_USER") is { Length: > 0 } user)
            return new Identity(user.Trim(), "SUPABASE_USER");
        if (GitConfig.Get(workspaceRoot, "user.email") is { Length: > 0 } gitEmail)
            return new Identity(gitEmail, "git");
        return new Identity(Environment.UserName + "@localhost", "os");
    }

    /// <summary>Reads the e-mail claim without verifying: the server verifies the token, this only labels our changes.</summary>
    internal static string? EmailFromJwt(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
            return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return doc.RootElement.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String && email.GetString() is { Length: > 0 } e
                ? e
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
