using AgentSync.Scrubbing;

namespace AgentSync.Tests.Scrubbing;

/// <summary>The real artifacts of shared/corpus must push under the default policy: any finding there is a false positive.</summary>
public sealed class CorpusTests
{
    [Fact]
    public void Every_corpus_file_scans_clean_under_the_default_policy()
    {
        var corpus = FindCorpus();
        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 100, $"expected the corpus at {corpus} to hold its ~195 files, found {files.Count}");

        var scanner = new ContentScanner(PiiPolicy.Default);
        var falsePositives = files
            .SelectMany(file => scanner.Scan(File.ReadAllText(file)).Select(f => $"{Path.GetRelativePath(corpus, file)}:{f.Line}:{f.Column} {f.Kind} {f.Preview}"))
            .ToList();

        Assert.True(falsePositives.Count == 0, "false positives in the corpus:\n" + string.Join('\n', falsePositives));
    }

    /// <summary>The repository sits next to shared/ (at /work/main here, elsewhere in CI), so look upward for it.</summary>
    private static string FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(candidate))
                return candidate;
        }

        Assert.Fail($"No shared/corpus directory found above {AppContext.BaseDirectory}. Clone the repository next to a copy of shared/ (the layout is <root>/shared/corpus and <root>/<repo>).");
        return "";
    }
}
