using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>
/// The gateway itself must behave like Supabase's PostgREST, or the REST remote's tests prove nothing: raw HTTP in,
/// status codes and JSON shapes out. A few probe functions are added to this class's database to show result shapes,
/// max_rows, the role switch and statement timeouts.
/// </summary>
public sealed class PostgrestGatewayTests(RestGatewayFixture fixture) : IClassFixture<RestGatewayFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private const string Probes = """
        create or replace function public.gateway_series(p_n int, p_step int default 1) returns setof int
          language sql as $$ select generate_series(1, p_n * p_step, p_step) $$;
        create or replace function public.gateway_squares(p_n int) returns table(n int, square bigint)
          language sql as $$ select i, i::bigint * i from generate_series(1, p_n) i $$;
        create or replace function public.gateway_echo(p_ids uuid[], p_flags boolean[], p_text text) returns jsonb
          language sql as $$ select jsonb_build_object('ids', p_ids, 'flags', p_flags, 'text', p_text) $$;
        create or replace function public.gateway_nothing() returns void language sql as $$ select $$;
        create or replace function public.gateway_whoami() returns table(role text, uid uuid, email text)
          language sql as $$ select current_user::text, auth.uid(), auth.jwt() ->> 'email' $$;
        create or replace function public.gateway_sleep(p_seconds float8) returns void
          language sql as $$ select pg_sleep(p_seconds) $$;
        grant execute on function public.gateway_series(int, int), public.gateway_squares(int), public.gateway_echo(uuid[], boolean[], text),
          public.gateway_nothing(), public.gateway_whoami(), public.gateway_sleep(float8) to anon, authenticated, service_role;
        """;

    public Task InitializeAsync() => PostgresServer.ExecuteScriptAsync(fixture.Database, Probes);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string function, string json, string? apikey = "service", string? bearer = null)
    {
        var jwt = fixture.Gateway.Jwt;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Gateway.Url, $"rest/v1/rpc/{function}"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (apikey is not null)
            request.Headers.Add("apikey", apikey == "service" ? jwt.ServiceRoleKey() : apikey);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    [Fact]
    public async Task A_request_without_an_apikey_is_refused_like_supabases_gateway()
    {
        var (status, body, _) = await PostAsync("agent_sync_schema_version", "{}", apikey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("No API key found in request", (string?)body!["message"]);
    }

    [Fact]
    public async Task Expired_and_forged_bearers_get_postgrests_jwt_errors()
    {
        var jwt = fixture.Gateway.Jwt;
        var expired = await PostAsync("agent_sync_schema_version", "{}", jwt.AnonKey(), jwt.UserToken(Guid.NewGuid(), "x@example.com", TimeSpan.FromMinutes(-5)));
        var forged = await PostAsync("agent_sync_schema_version", "{}", jwt.AnonKey(), Support.Gateway.TestJwt.Forged(Guid.NewGuid(), "x@example.com"));
        var forgedKey = await PostAsync("agent_sync_schema_version", "{}", Support.Gateway.TestJwt.WithRandomSecret().ServiceRoleKey());

        Assert.Equal((HttpStatusCode.Unauthorized, "PGRST303", "JWT expired"), (expired.Status, (string?)expired.Body!["code"], (string?)expired.Body!["message"]));
        Assert.Contains("invalid_token", expired.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Unauthorized, "PGRST301"), (forged.Status, (string?)forged.Body!["code"]));
        Assert.Equal(HttpStatusCode.Unauthorized, forgedKey.Status);
    }

    [Fact]
    public async Task Each_request_runs_as_the_role_and_claims_of_its_jwt()
    {
        var jwt = fixture.Gateway.Jwt;
        var user = Guid.NewGuid();

        var anon = await PostAsync("gateway_whoami", "{}", jwt.AnonKey());
        var signedIn = await PostAsync("gateway_whoami", "{}", jwt.AnonKey(), jwt.UserToken(user, "u@example.com"));
        var service = await PostAsync("gateway_whoami", "{}");

        Assert.Equal("anon", (string?)anon.Body![0]!["role"]);
        Assert.Null(anon.Body![0]!["uid"]);
        Assert.Equal(("authenticated", user.ToString(), "u@example.com"), ((string?)signedIn.Body![0]!["role"], (string?)signedIn.Body![0]!["uid"], (string?)signedIn.Body![0]!["email"]));
        Assert.Equal("service_role", (string?)service.Body![0]!["role"]);
    }

    [Fact]
    public async Task Results_have_postgrests_shapes_and_are_cut_at_max_rows()
    {
        var scalar = await PostAsync("agent_sync_schema_version", "{}");
        var table = await PostAsync("gateway_squares", """{"p_n": 3}""");
        var series = await PostAsync("gateway_series", """{"p_n": 3, "p_step": 2}""");
        var defaulted = await PostAsync("gateway_series", """{"p_n": 2}""");
        var cut = await PostAsync("gateway_series", """{"p_n": 1500}""");
        var echo = await PostAsync("gateway_echo", """{"p_ids": ["6f9619ff-8b86-d011-b42d-00c04fc964ff"], "p_flags": [true, false], "p_text": "é\n\"q\""}""");
        var nothing = await PostAsync("gateway_nothing", "{}");

        Assert.Equal("1", scalar.Body!.ToJsonString());
        Assert.Equal("""[{"n":1,"square":1},{"n":2,"square":4},{"n":3,"square":9}]""", table.Body!.ToJsonString());
        Assert.Equal("[1,3,5]", series.Body!.ToJsonString());
        Assert.Equal("[1,2]", defaulted.Body!.ToJsonString());
        Assert.Equal(1000, cut.Body!.AsArray().Count);
        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", (string?)echo.Body!["ids"]![0]);
        Assert.Equal("é\n\"q\"", (string?)echo.Body!["text"]);
        Assert.Equal(HttpStatusCode.NoContent, nothing.Status);
    }

    [Theory]
    [InlineData("no_such_function", "{}")]
    [InlineData("gateway_squares", """{"p_unknown": 1}""")]
    [InlineData("gateway_squares", "{}")]
    public async Task Unknown_functions_and_arguments_are_404_PGRST202(string function, string json)
    {
        var (status, body, _) = await PostAsync(function, json);

        Assert.Equal((HttpStatusCode.NotFound, "PGRST202"), (status, (string?)body!["code"]));
    }

    [Fact]
    public async Task Database_errors_become_postgrest_error_json_with_the_mapped_status()
    {
        var jwt = fixture.Gateway.Jwt;
        var project = "gw-" + Guid.NewGuid().ToString("N")[..12];
        await PostAsync("agent_sync_create_project", $$"""{"p_project": "{{project}}", "p_client_schema": 1}""");

        var missing = await PostAsync("agent_sync_pull", """{"p_project": "nope-nope", "p_client_schema": 1, "p_after": 0, "p_limit": 10}""");
        var drift = await PostAsync("agent_sync_pull", $$"""{"p_project": "{{project}}", "p_client_schema": 99, "p_after": 0, "p_limit": 10}""");
        var malformed = await PostAsync("agent_sync_push", $$"""
            {"p_project": "{{project}}", "p_client_schema": 1, "p_change_ids": ["{{Guid.NewGuid()}}"], "p_ids": ["../x"], "p_kinds": ["story"],
             "p_base_versions": [0], "p_contents": ["x"], "p_content_hashes": ["2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"],
             "p_deleted": [false], "p_authors": ["a@example.com"], "p_descriptions": [null]}
            """);
        var anon = await PostAsync("agent_sync_create_project", """{"p_project": "anon-project", "p_client_schema": 1}""", jwt.AnonKey());
        var user = await PostAsync("agent_sync_forget", """{"p_email": "a@example.com", "p_client_schema": 1}""", jwt.AnonKey(), jwt.UserToken(Guid.NewGuid(), "u@example.com"));

        Assert.Equal((HttpStatusCode.NotFound, "PT404"), (missing.Status, (string?)missing.Body!["code"]));
        Assert.Equal(((HttpStatusCode)426, "PT426"), (drift.Status, (string?)drift.Body!["code"]));
        Assert.Equal((HttpStatusCode.BadRequest, "PT400"), (malformed.Status, (string?)malformed.Body!["code"]));
        Assert.Contains("../x", (string?)malformed.Body!["message"], StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Unauthorized, "42501"), (anon.Status, (string?)anon.Body!["code"]));
        Assert.Equal((HttpStatusCode.Forbidden, "42501"), (user.Status, (string?)user.Body!["code"]));
        Assert.All(new[] { missing.Body, drift.Body, malformed.Body }, b => Assert.Equal(["code", "details", "hint", "message"], b!.AsObject().Select(p => p.Key).Order()));
    }

    [Fact]
    public async Task Anon_requests_are_cancelled_by_the_3_second_statement_timeout()
    {
        var clock = Stopwatch.StartNew();

        var (status, body, _) = await PostAsync("gateway_sleep", """{"p_seconds": 6}""", fixture.Gateway.Jwt.AnonKey());

        Assert.Equal((HttpStatusCode.InternalServerError, "57014"), (status, (string?)body!["code"]));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5.5));
    }
}
