using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentSync.Remote.Rest;

public sealed partial class RestRemote
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    /// <summary>Error bodies are small JSON objects; never buffer more than this of one.</summary>
    private const int MaxErrorBodyChars = 16 * 1024;

    private static HttpClient CreateHttpClient(RestRemoteOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Brotli,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Never follow a redirect: it could carry the apikey and the token to another host.
            AllowAutoRedirect = false,
        };
        // The resilience pipeline owns the per-attempt timeout; HttpClient's own would fire as an indistinct cancellation.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static ResiliencePipeline CreatePipeline(RestRemoteOptions options)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                // A 429 or 503 that says when to come back is better than a guess, within our own ceiling.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TransientResponseException { RetryAfter: { } after }
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Min(after.Ticks, options.RetryMaxDelay.Ticks))
                    : null),
            });
        }
        return builder.AddTimeout(options.RequestTimeout).Build();
    }

    /// <summary>
    /// Failures worth another attempt: the request may not have reached the database, or the database was busy. Pushes
    /// are safe to repeat because every change carries its change id. A cancellation the caller did not ask for is a
    /// connect timeout.
    /// </summary>
    private static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        TransientResponseException or TimeoutRejectedException or HttpRequestException or IOException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    /// <param name="resultInfo">Null for a function returning void: any 2xx answer (PostgREST sends 204 or 200 with null) is success.</param>
    private async Task<TResult> CallAsync<TArgs, TResult>(string function, TArgs args, JsonTypeInfo<TArgs> argsInfo, JsonTypeInfo<TResult>? resultInfo, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(args, argsInfo);
        var state = (Remote: this, Function: function, Body: body, ResultInfo: resultInfo);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, token) => state.Remote.AttemptAsync(state.Function, state.Body, state.ResultInfo, token),
                state,
                cancellationToken);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            throw new RemoteUnavailableException($"{Describe} is unreachable ({_credentials.Redact(Reason(e))}) after {_options.MaxRetries + 1} attempts; the work stays queued", e);
        }
    }

    private async ValueTask<TResult> AttemptAsync<TResult>(string function, byte[] body, JsonTypeInfo<TResult>? resultInfo, CancellationToken cancellationToken)
    {
        // A request message cannot be sent twice, so every attempt builds its own from the serialized body.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_rpcBase, function))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } },
        };
        request.Headers.TryAddWithoutValidation("apikey", _credentials.ApiKey);
        // Supabase's opaque keys (sb_publishable_..., sb_secret_...) are not JWTs and belong in apikey alone; the gateway
        // derives the role from them. A legacy JWT key or a user's access token goes in Authorization as well.
        if (_credentials.Bearer != _credentials.ApiKey || !_credentials.ApiKey.StartsWith("sb_", StringComparison.Ordinal))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _credentials.Bearer);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            if (resultInfo is null)
                return default!;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, resultInfo, cancellationToken)
                    ?? throw new JsonException("null result");
            }
            catch (JsonException e)
            {
                throw new RemoteException(RemoteErrorKind.Invalid, $"{Describe} answered {function} with something other than the expected JSON; is supabase_url a Supabase project?", null, e);
            }
        }
        throw await ErrorAsync(function, response, cancellationToken);
    }

    /// <summary>The one mapping from an HTTP error to what the client does: retry, refuse for good, or report the credentials.</summary>
    private async Task<Exception> ErrorAsync(string function, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response, cancellationToken);
        var message = _credentials.Redact(error?.Message is { Length: > 0 } m ? m : $"HTTP {status} {response.ReasonPhrase}");
        if (error?.Details is { Length: > 0 } details)
            message += " (" + _credentials.Redact(details) + ")";

        if (status is >= 300 and < 400)
            return new RemoteException(RemoteErrorKind.Invalid, $"{Describe} redirects {function} to {(response.Headers.Location is { IsAbsoluteUri: true } location ? location.GetLeftPart(UriPartial.Path) : "another address")}; set supabase_url to the project's own URL (redirects are not followed, so keys never travel elsewhere)", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (status is 401 or 403)
        {
            var hint = (status, error?.Code) switch
            {
                (401, "PGRST303") => $"; sign in again and set a fresh {RestCredentials.AccessTokenVariable}",
                (401, _) => $"; check {RestCredentials.ServiceRoleKeyVariable}, or {RestCredentials.AnonKeyVariable} and {RestCredentials.AccessTokenVariable}",
                _ => "",
            };
            return new RemoteException(RemoteErrorKind.Unauthorized, $"{Describe} refused the credentials for {function}: {message}{hint}", error?.Code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (status is 408 or 429)
            return new TransientResponseException(status, message, RetryAfter(response));
        // PostgREST's own 5xx codes (PGRST000-002) mean it lost its database connection: transient.
        var permanent = status >= 500 && error?.Code?.StartsWith("PGRST", StringComparison.Ordinal) == true ? null : RemoteErrors.FromSqlState(error?.Code, message);
        if (status >= 500)
            // A database error the remote raises on purpose is final even behind a 5xx; anything else (overload,
            // statement timeout, serialization failure, a proxy's error page) may pass on another attempt.
            return permanent ?? (Exception)new TransientResponseException(status, message, RetryAfter(response));
        return permanent ?? new RemoteException(RemoteErrorKind.Invalid, $"{Describe} refused {function}: {message}", error?.Code);
    }

    private static async Task<PostgrestError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            return JsonSerializer.Deserialize(buffer.AsSpan(0, read), RestJsonContext.Relaxed.PostgrestError);
        }
        catch (JsonException)
        {
            return null; // not PostgREST's JSON: a proxy or load balancer answered
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private string Reason(Exception exception) => exception switch
    {
        TransientResponseException e => $"HTTP {e.Status}: {e.Message}",
        TimeoutRejectedException => $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s",
        OperationCanceledException => $"could not connect within {_options.ConnectTimeout.TotalSeconds:0.#} s",
        HttpRequestException { InnerException: { } inner } e => $"{e.Message} {inner.Message}",
        _ => exception.Message,
    };
}
