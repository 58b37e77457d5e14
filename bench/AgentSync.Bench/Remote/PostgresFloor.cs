using AgentSync.Artifacts;
using AgentSync.Remote;
using Npgsql;
using NpgsqlTypes;

namespace AgentSync.Bench.Remote;

/// <summary>The fastest the server can take and give the same rows: binary COPY into a plain table, a plain SELECT back.</summary>
internal static class PostgresFloor
{
    public static async Task<(double Write, double Read)> RunAsync(string connectionString, IReadOnlyList<RemoteChange> changes)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            """
            create table bench_floor (
              seq bigint generated always as identity primary key, change_id uuid not null, id text not null, kind text not null,
              version bigint not null, content text not null, content_hash text not null, deleted boolean not null,
              author text not null, description text, created_at timestamptz not null default now())
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var write = await Measure.SecondsAsync(async () =>
        {
            await using var import = await connection.BeginBinaryImportAsync(
                "copy bench_floor (change_id, id, kind, version, content, content_hash, deleted, author, description) from stdin (format binary)");
            foreach (var c in changes)
            {
                await import.StartRowAsync();
                await import.WriteAsync(c.ChangeId, NpgsqlDbType.Uuid);
                await import.WriteAsync(c.Id, NpgsqlDbType.Text);
                await import.WriteAsync(c.Kind.Name(), NpgsqlDbType.Text);
                await import.WriteAsync(c.BaseVersion + 1, NpgsqlDbType.Bigint);
                await import.WriteAsync(c.Content, NpgsqlDbType.Text);
                await import.WriteAsync(c.ContentHash, NpgsqlDbType.Text);
                await import.WriteAsync(c.Deleted, NpgsqlDbType.Boolean);
                await import.WriteAsync(c.Author, NpgsqlDbType.Text);
                await import.WriteAsync(c.Description, NpgsqlDbType.Text);
            }

            await import.CompleteAsync();
        });

        var read = 0;
        var readSeconds = await Measure.SecondsAsync(async () =>
        {
            await using var select = new NpgsqlCommand(
                "select seq, change_id, id, kind, version, content, content_hash, deleted, author, description, created_at from bench_floor where seq > $1 order by seq limit $2",
                connection);
            select.Parameters.Add(new NpgsqlParameter { Value = 0L });
            select.Parameters.Add(new NpgsqlParameter { Value = RemoteSchema.MaxPageSize });
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<RemoteChangeRecord>();
            while (await reader.ReadAsync())
            {
                rows.Add(new RemoteChangeRecord(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), ArtifactKinds.Parse(reader.GetString(3)),
                    reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetBoolean(7), reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10)));
            }

            read = rows.Count;
        });
        if (read != changes.Count)
            throw new InvalidOperationException($"floor read {read} rows, wrote {changes.Count}");
        return (write, readSeconds);
    }
}
