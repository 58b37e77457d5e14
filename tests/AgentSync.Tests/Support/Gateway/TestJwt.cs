using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSync.Tests.Support.Gateway;

/// <summary>
/// Mints HS256 JWTs shaped like Supabase's: the anon and service role keys (long-lived, role claim only) and user access
/// tokens (sub, email, role=authenticated, exp). One instance holds one project's JWT secret.
/// </summary>
public sealed class TestJwt
{
    private readonly SigningCredentials _signing;

    public TestJwt(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Secret = secret;
        SigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        _signing = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A fresh random secret, as long as Supabase's (HS256 needs at least 256 bits).</summary>
    public static TestJwt WithRandomSecret() => new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(40)));

    public string Secret { get; }

    public SymmetricSecurityKey SigningKey { get; }

    public string ServiceRoleKey() => Mint(new Dictionary<string, object> { ["role"] = "service_role", ["iss"] = "supabase" }, TimeSpan.FromDays(3650));

    public string AnonKey() => Mint(new Dictionary<string, object> { ["role"] = "anon", ["iss"] = "supabase" }, TimeSpan.FromDays(3650));

    /// <summary>A signed-in user's access token; a negative lifetime gives a token that expired that long ago.</summary>
    public string UserToken(Guid userId, string email, TimeSpan? lifetime = null) => Mint(
        new Dictionary<string, object> { ["sub"] = userId.ToString(), ["email"] = email, ["role"] = "authenticated", ["aud"] = "authenticated" },
        lifetime ?? TimeSpan.FromHours(1));

    /// <summary>The same claims signed with another secret: what an attacker without the project's secret can make.</summary>
    public static string Forged(Guid userId, string email) =>
        WithRandomSecret().Mint(new Dictionary<string, object> { ["sub"] = userId.ToString(), ["email"] = email, ["role"] = "service_role" }, TimeSpan.FromHours(1));

    private string Mint(Dictionary<string, object> claims, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        var expires = now + lifetime;
        // An expired token must still have issued-at and not-before earlier than its expiry to be well-formed.
        var issued = lifetime < TimeSpan.Zero ? expires - TimeSpan.FromHours(1) : now;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = _signing,
        });
    }
}
