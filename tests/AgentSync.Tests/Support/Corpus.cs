namespace AgentSync.Tests.Support;

/// <summary>The real artifacts in shared/corpus: found beside the repository, wherever it was cloned.</summary>
public static class Corpus
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>.../shared/corpus/agentic-dev</summary>
    public static string AgenticDev => Root.Value;

    public static string Cache => Path.Combine(AgenticDev, ".agent", "cache");

    /// <summary>Every artifact file of the corpus, as paths relative to <see cref="AgenticDev"/> with '/' separators.</summary>
    public static IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Path.Combine(AgenticDev, ".agent"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(AgenticDev, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Copies the corpus's .agent folder into <paramref name="root"/>; the corpus itself is never touched.</summary>
    public static void CopyTo(string root)
    {
        foreach (var relative in Files())
        {
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(AgenticDev, relative), target);
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "agentic-dev");
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException("shared/corpus/agentic-dev was not found in any folder above the test binaries; clone the repository next to the shared/ folder");
    }
}
