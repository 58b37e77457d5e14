using AgentSync.Scrubbing;

namespace AgentSync.Sync;

/// <summary>
/// The secret and PII scan of the texts a push has just read from the working tree, started while those texts are
/// still being recorded in the cache: the scan is pure CPU, recording is mostly this thread's SQLite work, and on two
/// cores they overlap instead of adding up (a push of 1,000 new artifacts spent ~25 ms screening after recording).
/// <see cref="ContentScreen"/> takes the findings from here by content hash and scans only what is not here.
/// </summary>
internal sealed class ContentPrescan
{
    private readonly Dictionary<string, int> _byHash;
    private readonly IReadOnlyList<Finding>?[] _findings;
    private readonly Task _scanning;

    private ContentPrescan(ContentScanner scanner, IReadOnlyList<(string Hash, string Content)> texts, CancellationToken cancellationToken)
    {
        _byHash = new Dictionary<string, int>(texts.Count, StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
            _byHash[texts[i].Hash] = i;
        _findings = new IReadOnlyList<Finding>?[texts.Count];
        _scanning = Task.Run(() => Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => _findings[i] = scanner.Scan(texts[i].Content)), cancellationToken);
    }

    /// <summary>Starts scanning the added and modified texts of <paramref name="diff"/>.</summary>
    public static ContentPrescan Start(ContentScanner scanner, TreeDiff diff, CancellationToken cancellationToken)
    {
        var texts = diff.Changes
            .Where(c => c is { Content: not null, ContentHash: not null })
            .Select(c => (c.ContentHash!, c.Content!))
            .DistinctBy(t => t.Item1, StringComparer.Ordinal)
            .ToList();
        return new ContentPrescan(scanner, texts, cancellationToken);
    }

    /// <summary>The findings for the text with <paramref name="hash"/>, or null when it was not scanned here (or the scan
    /// did not finish: the caller then scans it itself).</summary>
    public async Task<IReadOnlyList<Finding>?> FindingsAsync(string hash)
    {
        if (!_byHash.TryGetValue(hash, out var index))
            return null;
        try
        {
            await _scanning;
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return _findings[index];
    }
}
