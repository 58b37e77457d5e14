namespace AgentSync.Store;

public sealed partial class LocalStore
{
    public async Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var command = Command("INSERT INTO audit (at, actor, operation, outcome, details, remote_seq) VALUES ($at, $actor, $operation, $outcome, $details, $remote_seq) RETURNING seq");
        command.Parameters.AddWithValue("$at", Timestamp(entry.At));
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$operation", entry.Operation);
        command.Parameters.AddWithValue("$outcome", entry.Outcome);
        command.Parameters.AddWithValue("$details", entry.Details);
        command.Parameters.AddWithValue("$remote_seq", (object?)entry.RemoteSequence ?? DBNull.Value);
        object? seq = null;
        await RunLockedAsync(async () => seq = await command.ExecuteScalarAsync(cancellationToken));
        return (long)seq!;
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var command = Command("SELECT seq, at, actor, operation, outcome, details, remote_seq FROM audit WHERE $since IS NULL OR at >= $since ORDER BY seq");
        command.Parameters.AddWithValue("$since", since is { } s ? Timestamp(s) : DBNull.Value);
        var list = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AuditEntry(ParseTimestamp(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6))
            { Sequence = reader.GetInt64(0) });
        }

        return list;
    }
}

/// <summary>One audit record: who did which sync operation when, with what outcome; details is a JSON document.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Operation, string Outcome, string Details, long? RemoteSequence)
{
    public long Sequence { get; init; }
}
