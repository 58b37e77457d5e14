namespace AgentSync.Remote.Rest;

/// <summary>
/// What a Supabase REST call authenticates with: the project's <c>apikey</c> (which the gateway checks) and the JWT sent
/// as <c>Authorization: Bearer</c> (which PostgREST turns into a database role). With the service role key both are the
/// same key; a user sends the anon key plus their own access token, and row-level security applies.
/// </summary>
public sealed record RestCredentials(string ApiKey, string Bearer)
{
    public const string ServiceRoleKeyVariable = "SUPABASE_SERVICE_ROLE_KEY";
    public const string AnonKeyVariable = "SUPABASE_ANON_KEY";
    public const string AccessTokenVariable = "SUPABASE_ACCESS_TOKEN";

    public static RestCredentials ServiceRole(string serviceRoleKey) => new(serviceRoleKey, serviceRoleKey);

    /// <summary>Reads the credentials from the environment; they are never accepted from sync.yaml.</summary>
    /// <exception cref="Errors.SyncException">Usage (exit 2) naming the variables to set.</exception>
    public static RestCredentials FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var service = NonEmpty(getVariable(ServiceRoleKeyVariable));
        if (service is not null)
            return ServiceRole(service);
        var anon = NonEmpty(getVariable(AnonKeyVariable));
        var token = NonEmpty(getVariable(AccessTokenVariable));
        return (anon, token) switch
        {
            ({ } a, { } t) => new RestCredentials(a, t),
            (null, { }) => throw Errors.SyncException.Usage($"{AccessTokenVariable} is set but {AnonKeyVariable} is not: set {AnonKeyVariable} to the project's anon key"),
            ({ }, null) => throw Errors.SyncException.Usage($"{AnonKeyVariable} is set but {AccessTokenVariable} is not: set {AccessTokenVariable} to your Supabase access token (a user JWT), or use {ServiceRoleKeyVariable}"),
            _ => throw Errors.SyncException.Usage($"no Supabase credentials: set {ServiceRoleKeyVariable}, or {AnonKeyVariable} and {AccessTokenVariable} (credentials are never read from sync.yaml)"),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // A record prints its properties by default; these are secrets and must never reach a log or a message.
    public override string ToString() => "RestCredentials { ApiKey = ***, Bearer = *** }";

    /// <summary>Replaces any occurrence of the secrets in text that came from elsewhere (a server message, an exception).</summary>
    internal string Redact(string text)
    {
        foreach (var secret in new[] { ApiKey, Bearer })
        {
            if (secret.Length >= 8)
                text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
