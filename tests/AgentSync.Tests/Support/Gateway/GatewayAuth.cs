using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSync.Tests.Support.Gateway;

/// <summary>Who a request runs as: the database role, the JWT claims as JSON, and the subject.</summary>
public sealed record GatewayIdentity(string Role, string ClaimsJson, string? Subject);

/// <summary>
/// The two checks in front of Supabase's PostgREST: the API gateway wants an <c>apikey</c> it knows (signed with the
/// project's secret), and PostgREST verifies the bearer JWT (HS256, expiry) and takes the database role from its
/// <c>role</c> claim. Without a bearer, the apikey is the JWT.
/// </summary>
public sealed class GatewayAuth
{
    public const string AnonRole = "anon";
    private static readonly HashSet<string> ApiRoles = ["anon", "authenticated", "service_role"];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    public GatewayAuth(SecurityKey signingKey) => _parameters = new TokenValidationParameters
    {
        IssuerSigningKey = signingKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        // PostgREST accepts tokens without exp, and allows 30 s of clock skew on those that have one.
        RequireExpirationTime = false,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <returns>The identity, or the error response to send instead.</returns>
    public async Task<(GatewayIdentity? Identity, IResult? Error)> AuthenticateAsync(HttpRequest request)
    {
        var apiKey = request.Headers["apikey"].ToString();
        if (apiKey.Length == 0)
            return (null, Results.Json(new Dictionary<string, string> { ["message"] = "No API key found in request", ["hint"] = "No `apikey` request header or url param was found." }, statusCode: 401));
        if (!(await _handler.ValidateTokenAsync(apiKey, _parameters)).IsValid)
            return (null, Results.Json(new Dictionary<string, string> { ["message"] = "Invalid API key", ["hint"] = "Double check your Supabase `anon` or `service_role` API key." }, statusCode: 401));

        var authorization = request.Headers.Authorization.ToString();
        string token;
        if (authorization.Length == 0)
            token = apiKey;
        else if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = authorization["Bearer ".Length..].Trim();
        else
            return (null, Unauthorized("PGRST301", "Missing authorization scheme: use Bearer"));

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenExpiredException
                ? (null, Unauthorized("PGRST303", "JWT expired"))
                : (null, Unauthorized("PGRST301", result.Exception is SecurityTokenInvalidSignatureException ? "JWSError JWSInvalidSignature" : "Invalid JWT"));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var role = jwt.TryGetPayloadValue<string>("role", out var r) && r.Length > 0 ? r : AnonRole;
        if (!ApiRoles.Contains(role))
            return (null, PostgrestErrors.Result(403, "42501", $"permission denied to set role \"{role}\""));
        var subject = jwt.TryGetPayloadValue<string>("sub", out var s) ? s : null;
        var claims = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        return (new GatewayIdentity(role, claims, subject), null);
    }

    private static IResult Unauthorized(string code, string message) => new WithHeader(
        PostgrestErrors.Result(401, code, message),
        "WWW-Authenticate",
        $"Bearer error=\"invalid_token\", error_description=\"{message}\"");

    /// <summary>PostgREST names the token problem in WWW-Authenticate as well as in the body.</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
