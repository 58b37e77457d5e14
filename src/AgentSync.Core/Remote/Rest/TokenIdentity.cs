using System.Buffers.Text;
using System.Text.Json;

namespace AgentSync.Remote.Rest;

/// <summary>
/// Who the bearer token says the caller is, for <see cref="RemoteInfo"/> only: the claims are read without verifying the
/// signature, because the server verifies it on every call and nothing here grants access.
/// </summary>
internal readonly record struct TokenIdentity(string? User, bool ServiceRole)
{
    public static TokenIdentity Read(RestCredentials credentials)
    {
        // Supabase's newer opaque keys are not JWTs; the gateway maps a secret key to the service role.
        if (credentials.Bearer.StartsWith("sb_secret_", StringComparison.Ordinal))
            return new TokenIdentity(null, true);
        var parts = credentials.Bearer.Split('.');
        if (parts.Length != 3)
            return default;
        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = claims.RootElement;
            var role = Claim(root, "role");
            return new TokenIdentity(Claim(root, "email") ?? Claim(root, "sub"), role == "service_role");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return default;
        }
    }

    private static string? Claim(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
