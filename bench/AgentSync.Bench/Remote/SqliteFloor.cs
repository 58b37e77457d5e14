using System.Globalization;
using AgentSync.Artifacts;
using AgentSync.Remote;
using Microsoft.Data.Sqlite;

namespace AgentSync.Bench.Remote;

/// <summary>The SQLite file's floor: one prepared INSERT per row in one transaction, same pragmas as the remote; a plain SELECT back.</summary>
internal static class SqliteFloor
{
    public static async Task<(double Write, double Read)> RunAsync(string path, IReadOnlyList<RemoteChange> changes)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText =
                """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                CREATE TABLE floor (seq INTEGER PRIMARY KEY, change_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,
                  content TEXT NOT NULL, content_hash TEXT NOT NULL, deleted INTEGER NOT NULL, author TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL);
                """;
            await setup.ExecuteNonQueryAsync();
        }

        var write = await Measure.SecondsAsync(async () =>
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO floor (change_id, id, kind, version, content, content_hash, deleted, author, description, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
            var parameters = Enumerable.Range(1, 10).Select(i => insert.Parameters.Add("$" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text)).ToArray();
            insert.Prepare();
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            foreach (var c in changes)
            {
                object?[] values = [c.ChangeId.ToString(), c.Id, c.Kind.Name(), c.BaseVersion + 1, c.Content, c.ContentHash, c.Deleted ? 1 : 0, c.Author, c.Description, now];
                for (var i = 0; i < values.Length; i++)
                    parameters[i].Value = values[i] ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        });

        var read = 0;
        var readSeconds = await Measure.SecondsAsync(async () =>
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT seq, change_id, id, kind, version, content, content_hash, deleted, author, description, created_at FROM floor WHERE seq > 0 ORDER BY seq LIMIT $limit";
            select.Parameters.AddWithValue("$limit", RemoteSchema.MaxPageSize);
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<RemoteChangeRecord>();
            while (await reader.ReadAsync())
            {
                rows.Add(new RemoteChangeRecord(reader.GetInt64(0), Guid.Parse(reader.GetString(1)), reader.GetString(2), ArtifactKinds.Parse(reader.GetString(3)),
                    reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7) != 0, reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9), DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture)));
            }

            read = rows.Count;
        });
        if (read != changes.Count)
            throw new InvalidOperationException($"floor read {read} rows, wrote {changes.Count}");
        return (write, readSeconds);
    }
}
