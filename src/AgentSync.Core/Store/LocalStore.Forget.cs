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
            await using var command = Command($"UPDATE {table} SET {column} = $label WHERE lower({column}) = lower($email)");
            command.Parameters.AddWithValue("$label", label);
            command.Parameters.AddWithValue("$email", email);
            long changed = 0;
            await RunLockedAsync(async () => changed = await command.ExecuteNonQueryAsync(cancellationToken));
            counts[$"{table}.{column}"] = changed;
        }

        // Audit details are JSON written by this client; the address may appear anywhere in them.
        await using (var details = Command("UPDATE audit SET details = replace(details, $email, $label) WHERE instr(lower(details), lower($email)) > 0"))
        {
            details.Parameters.AddWithValue("$label", label);
            details.Parameters.AddWithValue("$email", email);
            long changed = 0;
            await RunLockedAsync(async () => changed = await details.ExecuteNonQueryAsync(cancellationToken));
            counts["audit.details"] = changed;
        }

        await scope.CommitAsync(cancellationToken);
        return counts;
    }
}
