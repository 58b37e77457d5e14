namespace AgentSync.Store;

public sealed partial class LocalStore
{
    /// <summary>Replaces an e-mail with <paramref name="label"/> in every local row that names a person.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ForgetAsync(string email, string label, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var scope = await BeginWriteAsync(cancellationToken);
        foreach (var (table, column) in new[] { ("artifacts", "author"), ("artifacts", "remote_author"), ("history", "author"), ("outbox", "author"), ("audit", "actor") })
        {
            var command = Command($"UPDATE {table} SET {column} = $label WHERE lower({column}) = lower($email)");
            command.Parameters.AddWithValue("$label", label);
            command.Parameters.AddWithValue("$email", email);
            long changed = 0;
            await RunLockedAsync(async () => changed = await command.ExecuteNonQueryAsync(cancellationToken));
            counts[$"{table}.{column}"] = changed;
        }

        // Audit details are JSON written by this client; the address may appear anywhere in them, in any case.
        var rows = new List<(long Seq, string Details)>();
        var select = Command("SELECT seq, details FROM audit WHERE instr(lower(details), lower($email)) > 0");
        {
            select.Parameters.AddWithValue("$email", email);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        foreach (var (seq, text) in rows)
        {
            var update = Command("UPDATE audit SET details = $details WHERE seq = $seq");
            update.Parameters.AddWithValue("$details", System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(email), label,
                System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            update.Parameters.AddWithValue("$seq", seq);
            await RunLockedAsync(() => update.ExecuteNonQueryAsync(cancellationToken));
        }

        counts["audit.details"] = rows.Count;

        await scope.CommitAsync(cancellationToken);
        return counts;
    }
}
