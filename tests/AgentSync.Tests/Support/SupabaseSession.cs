using System.Text.Json;
using Npgsql;

namespace AgentSync.Tests.Support;

/// <summary>
/// A transaction that runs as PostgREST would run a request: <c>set_config('role', ...)</c> to the API role and the
/// JWT's claims in <c>request.jwt.claims</c>, both transaction-local. Disposing rolls back unless committed.
/// </summary>
public sealed class SupabaseSession : IAsyncDisposable
{
    private SupabaseSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>An anonymous request: role anon, claims with only the role (what the anon key carries).</summary>
    public static Task<SupabaseSession> AnonAsync(NpgsqlDataSource superuser) =>
        OpenAsync(superuser, "anon", new Dictionary<string, object> { ["role"] = "anon" });

    /// <summary>A signed-in user's request.</summary>
    public static Task<SupabaseSession> UserAsync(NpgsqlDataSource superuser, Guid user, string email) =>
        OpenAsync(superuser, "authenticated", new Dictionary<string, object> { ["sub"] = user, ["role"] = "authenticated", ["email"] = email });

    /// <summary>A request with the service key.</summary>
    public static Task<SupabaseSession> ServiceRoleAsync(NpgsqlDataSource superuser) =>
        OpenAsync(superuser, "service_role", new Dictionary<string, object> { ["role"] = "service_role" });

    public static async Task<SupabaseSession> OpenAsync(NpgsqlDataSource superuser, string role, IReadOnlyDictionary<string, object>? claims)
    {
        var connection = await superuser.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        command.Parameters.Add(new NpgsqlParameter { Value = claims is null ? "" : JsonSerializer.Serialize(claims) });
        await command.ExecuteNonQueryAsync();
        return new SupabaseSession(connection, transaction);
    }

    public NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, Connection, Transaction);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object?[] values)
    {
        await using var command = Command(sql, values);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> ExecuteAsync(string sql, params object?[] values)
    {
        await using var command = Command(sql, values);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a statement that must fail; returns the SQLSTATE. The transaction is unusable afterwards.</summary>
    public async Task<string> FailsWithAsync(string sql, params object?[] values)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql, values));
        return error.SqlState;
    }

    public Task CommitAsync() => Transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
