using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Remote.Rest;
using AgentSync.Tests.Support.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>
/// How the REST remote behaves when the network or the server misbehaves, against tiny loopback servers that answer
/// what each test needs: which failures are retried, which are final, how long it waits, and that keys never leak.
/// </summary>
public sealed class RestRemoteResilienceTests
{
    private const string ApiKey = "test-apikey-0123456789";
    private const string Bearer = "test-bearer-0123456789";

    private static readonly RestRemoteOptions Fast = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(2),
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    private static RestRemote Remote(Uri url, RestRemoteOptions? options = null) => new(url, new RestCredentials(ApiKey, Bearer), options ?? Fast);

    /// <summary>A server that counts requests and answers each with <paramref name="answer"/>(request number, context).</summary>
    private static async Task<(LoopbackHost Host, Func<int> Count)> ServerAsync(Func<int, HttpContext, Task> answer)
    {
        var count = 0;
        var host = await LoopbackHost.StartAsync(app => app.MapPost("/rest/v1/rpc/{function}", (HttpContext context) => answer(Interlocked.Increment(ref count), context)));
        return (host, () => Volatile.Read(ref count));
    }

    private static Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    [Fact]
    public async Task Transient_503s_are_retried_until_the_server_answers()
    {
        var (host, count) = await ServerAsync((n, context) => n <= 2 ? Json(context, 503, """{"message":"upstream busy"}""") : Json(context, 200, "1"));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        var info = await remote.ConnectAsync(CancellationToken.None);

        Assert.Equal(1, info.SchemaVersion);
        Assert.Equal(3, count());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Other_transient_statuses_are_retried(int status)
    {
        var (host, count) = await ServerAsync((n, context) => n == 1 ? Json(context, status, "{}") : Json(context, 200, "true"));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        Assert.True(await remote.EnsureProjectAsync("p", CancellationToken.None));
        Assert.Equal(2, count());
    }

    [Fact]
    public async Task A_statement_timeout_behind_a_500_is_retried()
    {
        var (host, count) = await ServerAsync((n, context) => n == 1
            ? Json(context, 500, """{"code":"57014","message":"canceling statement due to statement timeout","details":null,"hint":null}""")
            : Json(context, 200, "7"));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        Assert.Equal(7, await remote.NextIdAsync("p", "INFRA", CancellationToken.None));
        Assert.Equal(2, count());
    }

    [Theory]
    [InlineData(401, """{"code":"PGRST301","message":"JWSError JWSInvalidSignature","details":null,"hint":null}""")]
    [InlineData(401, """{"message":"Invalid API key"}""")]
    [InlineData(403, """{"code":"42501","message":"permission denied for function agent_sync_forget","details":null,"hint":null}""")]
    public async Task Refused_credentials_are_reported_as_unauthorized_after_exactly_one_request(int status, string body)
    {
        var (host, count) = await ServerAsync((_, context) => Json(context, status, body));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.ConnectAsync(CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Unauthorized, error.Kind);
        Assert.Equal(1, count());
    }

    [Theory]
    [InlineData(400, "PT400", RemoteErrorKind.Invalid)]
    [InlineData(404, "PT404", RemoteErrorKind.NotFound)]
    [InlineData(426, "PT426", RemoteErrorKind.SchemaMismatch)]
    [InlineData(404, "PGRST202", RemoteErrorKind.Invalid)]
    [InlineData(409, "23505", RemoteErrorKind.Invalid)]
    [InlineData(400, "P0001", RemoteErrorKind.Invalid)]
    public async Task PostgREST_errors_map_through_their_SQLSTATE_and_are_never_retried(int status, string code, RemoteErrorKind kind)
    {
        var (host, count) = await ServerAsync((_, context) => Json(context, status, $$"""{"code":"{{code}}","message":"item 1: refused","details":null,"hint":null}"""));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PullAsync("p", 0, 10, CancellationToken.None));

        Assert.Equal((kind, code), (error.Kind, error.Code));
        Assert.Contains("item 1: refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, count());
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_within_the_configured_time()
    {
        var (host, count) = await ServerAsync((_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var _ = host;
        var options = Fast with { RequestTimeout = TimeSpan.FromMilliseconds(400), MaxRetries = 1 };
        await using var remote = Remote(host.BaseUrl, options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RemoteUnavailableException>(() => remote.ConnectAsync(CancellationToken.None));

        // Two attempts of 0.4 s and one short delay; well under what a hang would take, and not faster than the timeout.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(750), TimeSpan.FromSeconds(5));
        Assert.Equal(2, count());
        Assert.Contains("no answer within 0.4 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_reported_as_unavailable_after_the_retries()
    {
        var closedPort = ClosedLoopbackPort();
        await using var remote = Remote(new Uri($"http://127.0.0.1:{closedPort}/"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RemoteUnavailableException>(() => remote.ConnectAsync(CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Contains($"127.0.0.1:{closedPort}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout_and_is_not_retried()
    {
        // Cancelled once the request is there, not after a fixed delay: on a loaded machine 200 ms could pass before
        // it even left, and then nothing was counted.
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (host, count) = await ServerAsync((_, context) =>
        {
            arrived.TrySetResult();
            return Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);
        using var cancel = new CancellationTokenSource();

        var connecting = remote.ConnectAsync(cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);

        Assert.Equal(1, count());
    }

    [Fact]
    public async Task Keys_travel_only_in_headers_and_never_into_messages_or_describe()
    {
        string? apikey = null, authorization = null;
        var (host, _) = await ServerAsync((_, context) =>
        {
            apikey = context.Request.Headers["apikey"];
            authorization = context.Request.Headers.Authorization;
            // A careless server that echoes the credentials back in its error.
            return Json(context, 400, $$"""{"code":"PT400","message":"bad key {{ApiKey}} with token {{Bearer}}","details":null,"hint":null}""");
        });
        await using var __ = host;
        var url = new Uri($"http://user:secret-password@{host.BaseUrl.Authority}/?key={ApiKey}");
        await using var remote = Remote(url);

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.ConnectAsync(CancellationToken.None));

        Assert.Equal((ApiKey, "Bearer " + Bearer), (apikey, authorization));
        foreach (var text in new[] { error.Message, remote.Describe, new RestCredentials(ApiKey, Bearer).ToString() })
        {
            Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Bearer, text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-password", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_keys_stay_with_the_configured_host()
    {
        var (host, count) = await ServerAsync((_, context) =>
        {
            context.Response.Redirect("http://127.0.0.1:9/rest/v1/rpc/agent_sync_schema_version");
            return Task.CompletedTask;
        });
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl);

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.ConnectAsync(CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Contains("supabase_url", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, count());
    }

    [Fact]
    public async Task An_opaque_secret_key_travels_in_apikey_only()
    {
        string? apikey = null, authorization = null;
        var (host, _) = await ServerAsync((_, context) =>
        {
            (apikey, authorization) = (context.Request.Headers["apikey"], context.Request.Headers.Authorization);
            return Json(context, 200, "1");
        });
        await using var __ = host;
        await using var remote = new RestRemote(host.BaseUrl, RestCredentials.ServiceRole("sb_secret_0123456789abcdef"), Fast);

        var info = await remote.ConnectAsync(CancellationToken.None);

        Assert.Equal(("sb_secret_0123456789abcdef", ""), (apikey, authorization ?? ""));
        Assert.True(info.ServiceRole);
    }

    [Fact]
    public async Task A_large_push_is_split_by_items_and_bytes_and_results_come_back_in_batch_order()
    {
        var requests = new List<int>();
        var (host, _) = await ServerAsync(async (_, context) =>
        {
            var args = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            var changeIds = args["p_change_ids"]!.AsArray();
            lock (requests)
                requests.Add(changeIds.Count);
            // Rows in reverse order: the client must match them to its items by change id.
            var rows = changeIds.Select((id, i) => new JsonObject
            {
                ["change_id"] = id!.GetValue<string>(),
                ["id"] = args["p_ids"]![i]!.GetValue<string>(),
                ["kind"] = args["p_kinds"]![i]!.GetValue<string>(),
                ["status"] = "accepted",
                ["version"] = 1,
                ["seq"] = 1,
                ["content"] = null,
                ["content_hash"] = null,
                ["deleted"] = false,
                ["author"] = null,
            }).Reverse();
            await Json(context, 200, new JsonArray([.. rows]).ToJsonString());
        });
        await using var __ = host;
        await using var remote = Remote(host.BaseUrl, Fast with { MaxBatchItems = 400, MaxRequestBytes = 300_000 });
        var small = Enumerable.Range(1, 900).Select(i => Change($"S-{i}", $"{i}\n"));
        var big = Enumerable.Range(1, 3).Select(i => Change($"B-{i}", new string('é', 100_000)));
        var batch = small.Concat(big).ToList();

        var results = await remote.PushAsync("p", batch, CancellationToken.None);

        Assert.Equal(batch.Select(c => c.ChangeId), results.Select(r => r.ChangeId));
        // The last 100 small items (about 21 kB) share a request with the first 200 kB item; two such items never do.
        Assert.Equal([400, 400, 101, 1, 1], requests);
    }

    [Fact]
    public async Task A_malformed_item_anywhere_in_a_split_push_sends_nothing()
    {
        var (host, count) = await ServerAsync((_, context) => Json(context, 200, "[]"));
        await using var _ = host;
        await using var remote = Remote(host.BaseUrl, Fast with { MaxBatchItems = 2 });
        var batch = new[] { Change("OK-1", "a\n"), Change("OK-2", "b\n"), Change("../x", "c\n") };

        var error = await Assert.ThrowsAsync<RemoteException>(() => remote.PushAsync("p", batch, CancellationToken.None));

        Assert.Equal(RemoteErrorKind.Invalid, error.Kind);
        Assert.Contains("item 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, count());
    }

    [Fact]
    public async Task Pull_asks_for_at_most_the_maximum_page()
    {
        int? limit = null;
        var (host, _) = await ServerAsync(async (_, context) =>
        {
            limit = (await JsonNode.ParseAsync(context.Request.Body))!["p_limit"]!.GetValue<int>();
            await Json(context, 200, "[]");
        });
        await using var __ = host;
        await using var remote = Remote(host.BaseUrl);

        var page = await remote.PullAsync("p", 0, 100_000, CancellationToken.None);

        Assert.Equal(RemoteSchema.MaxPageSize, limit);
        Assert.Equal((0, false), (page.Changes.Count, page.More));
    }

    [Fact]
    public void Credentials_come_from_the_environment_or_the_error_names_the_variables()
    {
        var none = Assert.Throws<SyncException>(() => RestCredentials.FromEnvironment(_ => null));
        var half = Assert.Throws<SyncException>(() => RestCredentials.FromEnvironment(name => name == RestCredentials.AnonKeyVariable ? "anon" : null));
        var service = RestCredentials.FromEnvironment(name => name == RestCredentials.ServiceRoleKeyVariable ? "svc" : null);
        var user = RestCredentials.FromEnvironment(name => name switch { "SUPABASE_ANON_KEY" => "anon", "SUPABASE_ACCESS_TOKEN" => "jwt", _ => null });

        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("SUPABASE_SERVICE_ROLE_KEY", none.Message, StringComparison.Ordinal);
        Assert.Contains("SUPABASE_ANON_KEY", none.Message, StringComparison.Ordinal);
        Assert.Contains("SUPABASE_ACCESS_TOKEN", half.Message, StringComparison.Ordinal);
        Assert.Equal(new RestCredentials("svc", "svc"), service);
        Assert.Equal(new RestCredentials("anon", "jwt"), user);
    }

    [Fact]
    public void Plain_http_is_refused_for_a_remote_host()
    {
        var error = Assert.Throws<SyncException>(() => new RestRemote(new Uri("http://example.com"), new RestCredentials("k", "k")));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A port that was free a moment ago and that nothing listens on now.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static RemoteChange Change(string id, string content) =>
        new(Guid.NewGuid(), id, ArtifactKind.Story, 0, content, ContentHash.Of(content), false, "alice@example.com", null);

}
