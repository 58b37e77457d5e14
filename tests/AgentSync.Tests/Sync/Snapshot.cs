using System.Text;
using AgentSync.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentSync.Tests.Sync;

/// <summary>Dumps of everything a command could change, to prove that a dry run changed nothing.</summary>
public static class Snapshot
{
    /// <summary>Every row of every table of a SQLite file, in a stable order.</summary>
    public static string Database(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }

        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            rows.Sort(StringComparer.Ordinal);
            dump.Append(table).Append('\n').AppendJoin('\n', rows).Append('\n');
        }

        return dump.ToString();
    }

    /// <summary>Every table and column of a SQLite file whose text holds <paramref name="needle"/> (case-insensitive).</summary>
    public static IReadOnlyList<string> FindText(string path, string needle) =>
        [.. Database(path).Split('\n').Where(l => l.Contains(needle, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The remote's whole change log for a project (and through it every head), read through the transport.</summary>
    public static async Task<string> RemoteAsync(RemoteTarget target, string project)
    {
        await using var remote = target.Open();
        await remote.ConnectAsync(CancellationToken.None);
        var dump = new StringBuilder();
        long after = 0;
        while (true)
        {
            var page = await remote.PullAsync(project, after, 1000, CancellationToken.None);
            foreach (var c in page.Changes)
                dump.Append($"{c.Sequence}|{c.ChangeId}|{c.Id}|{c.Kind}|{c.Version}|{c.ContentHash}|{c.Deleted}|{c.Author}|{c.Path}\n");
            after = page.LastSequence(after);
            if (!page.More)
                return dump.ToString();
        }
    }
}

/// <summary>The corpus has two real id collisions; a team would renumber the second of each before syncing.</summary>
public static class CorpusFixes
{
    public static void RenumberDuplicates(TempWorkspace workspace)
    {
        Move(workspace, "INFRA-040-restore-silero-vad-with-webrtc-fallback", "INFRA-040", "INFRA-186");
        Move(workspace, "INFRA-123-refactor-core-context-and-orchestrator-modules-to-pass-loc-quality-gate", "INFRA-123", "INFRA-187");
    }

    private static void Move(TempWorkspace workspace, string name, string oldId, string newId)
    {
        var from = $".agent/cache/stories/INFRA/{name}.md";
        var text = workspace.Read(from).Replace($"# {oldId}:", $"# {newId}:", StringComparison.Ordinal);
        File.Delete(workspace.PathOf(from));
        workspace.Write($".agent/cache/stories/INFRA/{newId}{name[oldId.Length..]}.md", text);
    }
}
