namespace AgentSync.Store;

/// <summary>A file left to the kernel's writeback: where, in which boot, when.</summary>
public sealed record WritebackEntry(string Path, string BootId, DateTimeOffset At);

public sealed partial class LocalStore
{
    /// <summary>Remembers files written in the open transaction and not flushed (see Sync/Writeback.cs).</summary>
    public async Task AddWritebackAsync(IEnumerable<string> paths, string bootId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // One statement for a page's files, not one each.
        var command = Command("INSERT OR REPLACE INTO writeback (path, boot_id, at) SELECT value, $boot, $at FROM json_each($paths)");
        command.Parameters.AddWithValue("$paths", StoreJson.Strings(paths));
        command.Parameters.AddWithValue("$boot", bootId);
        command.Parameters.AddWithValue("$at", Timestamp(at));
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>
    /// The files due for settling: written in another boot than <paramref name="bootId"/> (null: every boot is
    /// another), or before <paramref name="before"/>. SQLite picks them (the times are round-trip UTC text, which sorts),
    /// so the usual case, a pull just written, costs one empty query instead of reading its 1,000 rows.
    /// </summary>
    public async Task<IReadOnlyList<WritebackEntry>> WritebackDueAsync(string? bootId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var command = Command("SELECT path, boot_id, at FROM writeback WHERE $boot IS NULL OR boot_id <> $boot OR at < $before ORDER BY path");
        command.Parameters.AddWithValue("$boot", (object?)bootId ?? DBNull.Value);
        command.Parameters.AddWithValue("$before", Timestamp(before));
        var list = new List<WritebackEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new WritebackEntry(reader.GetString(0), reader.GetString(1), ParseTimestamp(reader.GetString(2))));
        return list;
    }

    public async Task RemoveWritebackAsync(string path, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM writeback WHERE path = $path");
        command.Parameters.AddWithValue("$path", path);
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>After a flush of the whole file system: nothing is left to the writeback any more.</summary>
    public async Task ClearWritebackAsync(CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM writeback");
        await RunLockedAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }
}
