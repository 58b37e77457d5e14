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
    private readonly ContentScanner _scanner;
    private readonly IReadOnlyList<(string Hash, string Content)> _texts;
    private readonly Dictionary<string, int> _byHash;
    private readonly IReadOnlyList<Finding>?[] _findings;
    private readonly CancellationToken _cancellationToken;
    private readonly int _first;
    private readonly Task _head;
    private readonly Lazy<Task> _rest;

    private ContentPrescan(ContentScanner scanner, IReadOnlyList<(string Hash, string Content)> texts, int first, CancellationToken cancellationToken)
    {
        (_scanner, _texts, _cancellationToken) = (scanner, texts, cancellationToken);
        _byHash = new Dictionary<string, int>(texts.Count, StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
            _byHash[texts[i].Hash] = i;
        _findings = new IReadOnlyList<Finding>?[texts.Count];
        _first = Math.Min(first, texts.Count);
        _head = Task.Run(() => Scan(0, _first), cancellationToken);
        _rest = new Lazy<Task>(() => _head.ContinueWith(_ => Scan(_first, _texts.Count), cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default));
    }

    /// <summary>
    /// Starts scanning the added and modified texts of <paramref name="diff"/>: the texts of its first
    /// <paramref name="first"/> changes at once, the others once <see cref="ScanRest"/> is called (or their findings are
    /// asked for). A push that sends its first batch while it records the rest holds the rest back until that batch is
    /// on its way: scanned at once, on both cores, they slowed the recording, screening and sending of the first batch
    /// (the remote's first work) by what the push's critical path then waited for.
    /// </summary>
    public static ContentPrescan Start(ContentScanner scanner, TreeDiff diff, int first, CancellationToken cancellationToken)
    {
        var texts = diff.Changes
            .Where(c => c is { Content: not null, ContentHash: not null })
            .Select(c => (c.ContentHash!, c.Content!))
            .DistinctBy(t => t.Item1, StringComparer.Ordinal)
            .ToList();
        return new ContentPrescan(scanner, texts, first, cancellationToken);
    }

    /// <summary>Starts scanning the texts after the first ones (see <see cref="Start"/>), once those are done.</summary>
    public void ScanRest() => _ = _rest.Value;

    /// <summary>The findings for the text with <paramref name="hash"/>, or null when it was not scanned here (or the scan
    /// did not finish: the caller then scans it itself).</summary>
    public async Task<IReadOnlyList<Finding>?> FindingsAsync(string hash)
    {
        if (!_byHash.TryGetValue(hash, out var index))
            return null;
        try
        {
            await (index < _first ? _head : _rest.Value);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return _findings[index];
    }

    private void Scan(int from, int to)
    {
        if (to > from)
            Parallel.For(from, to, new ParallelOptions { CancellationToken = _cancellationToken }, i => _findings[i] = _scanner.Scan(_texts[i].Content));
    }
}
