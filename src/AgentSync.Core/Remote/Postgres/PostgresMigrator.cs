using System.Reflection;
using AgentSync.Errors;
using Npgsql;

namespace AgentSync.Remote.Postgres;

/// <summary>
/// Brings a Postgres database that has no agent-sync schema yet to <see cref="RemoteSchema.Version"/> by running the
/// embedded migration (byte for byte supabase/migrations), the way <c>supabase db push</c> would. It only ever applies
/// the whole migration to a database without one, in one transaction; anything else is reported, never patched.
/// </summary>
internal static class PostgresMigrator
{
    /// <returns>The schema version before and after (equal when nothing was applied).</returns>
    public static async Task<(int From, int To)> MigrateAsync(string url, bool dryRun, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        var parsed = PostgresUrl.Parse(url);
        var describe = parsed.Describe;
        try
        {
            await using var connection = new NpgsqlConnection(parsed.ConnectionString((int)Math.Ceiling(callTimeout.TotalSeconds)));
            await connection.OpenAsync(cancellationToken);
            var from = await VersionAsync(connection, cancellationToken);
            if (from >= RemoteSchema.Version)
            {
                RemoteSchema.Check(from, describe);
                return (from, from);
            }

            if (!await ScalarAsync<bool>(connection, "select pg_catalog.has_database_privilege(current_user, current_database(), 'CREATE')", cancellationToken))
                throw SyncException.Usage($"{describe} has no agent-sync schema and its user may not create one; connect as the database owner (or run supabase db push) to apply {RemoteSchema.Migration}");
            if (!await ScalarAsync<bool>(connection, "select to_regprocedure('auth.uid()') is not null and to_regprocedure('auth.jwt()') is not null and (select count(*) from pg_catalog.pg_roles where rolname in ('anon', 'authenticated', 'service_role')) = 3", cancellationToken))
                throw SyncException.Usage($"{describe} is not a Supabase database (no auth.uid(), auth.jwt() or the anon/authenticated/service_role roles), which {RemoteSchema.Migration} needs; apply it to a Supabase project with supabase db push, or create those first (docs/operations.md)");
            if (dryRun)
                return (from, RemoteSchema.Version);

            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await using (var command = new NpgsqlCommand(Script(), connection, transaction))
                    await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return (from, await VersionAsync(connection, cancellationToken));
        }
        catch (Exception e) when (e is not SyncException && PostgresErrors.Translate(e, describe, cancellationToken) is var translated && translated != e)
        {
            throw translated;
        }
    }

    private static async Task<int> VersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await ScalarAsync<bool>(connection, "select to_regprocedure('public.agent_sync_schema_version()') is not null", cancellationToken)
            ? await ScalarAsync<int>(connection, "select public.agent_sync_schema_version()", cancellationToken)
            : 0;

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Script()
    {
        var name = "AgentSync.Supabase." + Path.GetFileName(RemoteSchema.Migration);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
