using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace AgentSync.Tests.Support.Gateway;

public sealed record GatewayOptions
{
    /// <summary>PostgREST's max_rows as Supabase configures it: RPC results are silently cut here.</summary>
    public int MaxRows { get; init; } = 1000;

    /// <summary>Supabase's per-role statement timeouts (service_role has none).</summary>
    public IReadOnlyDictionary<string, TimeSpan> StatementTimeouts { get; init; } = new Dictionary<string, TimeSpan>
    {
        ["anon"] = TimeSpan.FromSeconds(3),
        ["authenticated"] = TimeSpan.FromSeconds(8),
    };

    /// <summary>The schema PostgREST exposes (db-schemas).</summary>
    public string Schema { get; init; } = "public";
}

/// <summary>
/// The subset of Supabase's REST API that agent-sync uses, in front of a test database: <c>POST /rest/v1/rpc/{fn}</c>
/// with the apikey check, JWT verification, the role switch and request.jwt.claims, named-argument binding, max_rows,
/// and PostgREST's error JSON and status codes. Each request is one transaction on a connection as <c>authenticator</c>,
/// exactly as PostgREST runs it, so row-level security and grants are the database's own.
/// </summary>
public sealed class PostgrestGateway : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly GatewayAuth _auth;
    private readonly GatewayOptions _options;
    private LoopbackHost? _host;

    private PostgrestGateway(NpgsqlDataSource database, TestJwt jwt, GatewayOptions options)
    {
        _database = database;
        Jwt = jwt;
        _auth = new GatewayAuth(jwt.SigningKey);
        _options = options;
    }

    /// <summary>The project URL, as supabase_url would name it (http://127.0.0.1:port/).</summary>
    public Uri Url => _host?.BaseUrl ?? throw new InvalidOperationException("the gateway is not started");

    /// <summary>Mints keys and user tokens this gateway accepts.</summary>
    public TestJwt Jwt { get; }

    /// <param name="databaseConnectionString">Any connection string to the database; the gateway logs in as authenticator.</param>
    public static async Task<PostgrestGateway> StartAsync(string databaseConnectionString, GatewayOptions? options = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(databaseConnectionString)
        {
            Username = "authenticator",
            Password = null,
            // PostgREST passes DETAIL through to the client; Npgsql hides it unless asked.
            IncludeErrorDetail = true,
            ApplicationName = "postgrest-gateway",
        };
        var gateway = new PostgrestGateway(NpgsqlDataSource.Create(builder.ConnectionString), TestJwt.WithRandomSecret(), options ?? new GatewayOptions());
        gateway._host = await LoopbackHost.StartAsync(app => app.MapPost("/rest/v1/rpc/{function}", gateway.HandleAsync));
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(string function, HttpRequest request, CancellationToken cancellationToken)
    {
        var (identity, authError) = await _auth.AuthenticateAsync(request);
        if (identity is null)
            return authError!;

        string body;
        using (var reader = new StreamReader(request.Body))
            body = await reader.ReadToEndAsync(cancellationToken);
        if (body.Length == 0)
            body = "{}";
        List<string> keys;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return PostgrestErrors.Result(400, "PGRST102", "Empty or invalid json");
            keys = [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
        }
        catch (JsonException)
        {
            return PostgrestErrors.Result(400, "PGRST102", "Empty or invalid json");
        }

        try
        {
            return await CallAsync(identity, function, keys, body, cancellationToken);
        }
        catch (PostgresException e)
        {
            return PostgrestErrors.Result(PostgrestErrors.Status(e.SqlState, identity.Role == GatewayAuth.AnonRole), e.SqlState, e.MessageText, e.Detail, e.Hint);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            return PostgrestErrors.Result(503, "PGRST001", "Database client error. Retrying the connection.", e.Message);
        }
    }

    private async Task<IResult> CallAsync(GatewayIdentity identity, string function, List<string> keys, string body, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var target = await RpcFunction.FindAsync(connection, _options.Schema, function, keys, cancellationToken);
        if (target is null)
        {
            return PostgrestErrors.Result(404, "PGRST202",
                $"Could not find the function {_options.Schema}.{function}({string.Join(", ", keys.Order(StringComparer.Ordinal))}) in the schema cache",
                $"Searched for the function {_options.Schema}.{function} with parameters {string.Join(", ", keys)} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
                "Perhaps you meant to call a function with other parameter names");
        }

        // Transaction-local settings: the pooled connection goes back clean after commit or rollback.
        await using (var setup = new NpgsqlCommand(
            "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true), " +
            "set_config('request.method', 'POST', true), set_config('request.path', $4, true), set_config('statement_timeout', $5, true)",
            connection, transaction))
        {
            var timeout = _options.StatementTimeouts.TryGetValue(identity.Role, out var t) ? $"{(long)t.TotalMilliseconds}ms" : "0";
            setup.Parameters.Add(new() { Value = identity.Role });
            setup.Parameters.Add(new() { Value = identity.ClaimsJson });
            setup.Parameters.Add(new() { Value = identity.Subject ?? "" });
            setup.Parameters.Add(new() { Value = $"/rpc/{function}" });
            setup.Parameters.Add(new() { Value = timeout });
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        string? json;
        await using (var call = new NpgsqlCommand(target.CallSql(keys, _options.MaxRows), connection, transaction))
        {
            // FindAsync accepted only keys that are parameters, so no keys means a statement without $1.
            if (keys.Count > 0)
                call.Parameters.Add(new() { Value = body, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            json = await call.ExecuteScalarAsync(cancellationToken) as string;
        }
        await transaction.CommitAsync(cancellationToken);

        return target.ReturnsVoid
            ? Results.NoContent()
            : Results.Text(json ?? "null", "application/json; charset=utf-8");
    }
}
