namespace AgentSync.Tests.Merge;

/// <summary>Real stories copied from the shared corpus (Data/, checked in byte for byte).</summary>
internal static class MergeCorpus
{
    public const string Label = "remote v7 (bob@example.com)";

    public const string UiTests = "INFRA-009-implement-ui-tests.md";
    public const string ListModels = "INFRA-024-agent-list-models.md";
    public const string DistributedCache = "INFRA-004-distributed-cache-synchronization-with-sqlite-and-supabase.md";
    public const string ImpactCommand = "INFRA-007-implement-agent-impact-command.md";
    public const string AntiDrift = "INFRA-043-anti-drift-and-suggestiondry-run-workflow.md";

    public static IEnumerable<string> All => [UiTests, ListModels, DistributedCache, ImpactCommand, AntiDrift];

    private static readonly Lazy<string> Directory = new(FindDataDirectory);

    public static string Load(string name) => File.ReadAllText(Path.Combine(Directory.Value, name));

    /// <summary>Replaces the one occurrence of <paramref name="old"/>; a test whose edit silently misses would prove nothing.</summary>
    public static string Edit(this string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' not found");
        Assert.True(text.IndexOf(old, at + 1, StringComparison.Ordinal) < 0, $"'{old}' found more than once");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }

    private static string FindDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "AgentSync.Tests", "Merge", "Data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/AgentSync.Tests/Merge/Data not found above " + AppContext.BaseDirectory);
    }
}
