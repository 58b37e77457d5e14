namespace AgentSync.Bench.Remote;

/// <summary>The real artifact contents of shared/corpus, found by walking up from the current directory.</summary>
internal static class BenchCorpus
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "agentic-dev");
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException("shared/corpus/agentic-dev was not found in any folder above the current directory");
    }

    /// <summary>Every .md under .agent/cache, in a stable order.</summary>
    public static IReadOnlyList<string> Contents() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root(), ".agent", "cache"), "*.md", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)];

    /// <summary><paramref name="count"/> contents cycling through the corpus.</summary>
    public static IReadOnlyList<string> Cycle(int count)
    {
        var contents = Contents();
        return [.. Enumerable.Range(0, count).Select(i => contents[i % contents.Count])];
    }
}
