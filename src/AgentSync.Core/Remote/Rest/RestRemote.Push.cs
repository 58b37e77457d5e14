using AgentSync.Artifacts;

namespace AgentSync.Remote.Rest;

public sealed partial class RestRemote
{
    public async Task<IReadOnlyList<PushResult>> PushAsync(string project, IReadOnlyList<RemoteChange> batch, CancellationToken cancellationToken)
    {
        // Checked whole before the first request: splitting must not let a malformed item apply half a batch.
        RemoteValidation.ValidateBatch(project, batch);
        var requests = PushSplit.Split(batch, _options.MaxBatchItems, _options.MaxRequestBytes);

        var results = new List<PushResult>(batch.Count);
        foreach (var (offset, count) in requests)
        {
            var slice = new ArraySegment<RemoteChange>([.. batch.Skip(offset).Take(count)]);
            var args = new PushArgs(
                project,
                RemoteSchema.Version,
                [.. slice.Select(c => c.ChangeId)],
                [.. slice.Select(c => c.Id)],
                [.. slice.Select(c => c.Kind.Name())],
                [.. slice.Select(c => c.BaseVersion)],
                [.. slice.Select(c => c.Content)],
                [.. slice.Select(c => c.ContentHash)],
                [.. slice.Select(c => c.Deleted)],
                [.. slice.Select(c => c.Author)],
                [.. slice.Select(c => c.Description)],
                [.. slice.Select(c => c.Path)],
                [.. slice.Select(c => RemoteState.Of(c.Content))]);
            var rows = await CallAsync("agent_sync_push", args, RestJsonContext.Relaxed.PushArgs, RestJsonContext.Relaxed.PushRowArray, cancellationToken);
            results.AddRange(Match(slice, rows));
        }
        return results;
    }

    /// <summary>Results in the batch's order, matched by change id: the order of rows in a JSON array is the server's business.</summary>
    private IEnumerable<PushResult> Match(IReadOnlyList<RemoteChange> slice, PushRow[] rows)
    {
        var byChangeId = new Dictionary<Guid, PushRow>(rows.Length);
        foreach (var row in rows)
            byChangeId.TryAdd(row.ChangeId, row);
        foreach (var change in slice)
        {
            if (!byChangeId.TryGetValue(change.ChangeId, out var row))
                throw new RemoteException(RemoteErrorKind.Invalid, $"{Describe} returned no result for change {change.ChangeId} ({change.Kind.Name()} {change.Id})");
            var status = row.Status switch
            {
                "accepted" => PushStatus.Accepted,
                "conflict" => PushStatus.Conflict,
                _ => throw new RemoteException(RemoteErrorKind.Invalid, $"{Describe} returned an unknown push status '{row.Status}'"),
            };
            yield return new PushResult(row.ChangeId, row.Id, ParseKind(row.Kind), status, row.Version, row.Seq, row.Content, row.ContentHash, row.Deleted ?? false, row.Author);
        }
    }
}

/// <summary>How a push batch becomes requests that each fit the remote's statement timeout.</summary>
internal static class PushSplit
{
    /// <summary>Consecutive (offset, count) ranges of at most <paramref name="maxItems"/> items and about <paramref name="maxBytes"/> of JSON each.</summary>
    public static IReadOnlyList<(int Offset, int Count)> Split(IReadOnlyList<RemoteChange> batch, int maxItems, int maxBytes)
    {
        var ranges = new List<(int, int)>();
        int start = 0, bytes = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var size = EstimateJsonBytes(batch[i]);
            // An item larger than the budget still travels, alone.
            if (i > start && (i - start >= maxItems || bytes + size > maxBytes))
            {
                ranges.Add((start, i - start));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        ranges.Add((start, batch.Count - start));
        return ranges;
    }

    /// <summary>The item's share of the request body: its strings as escaped UTF-8 plus the fixed-size fields.</summary>
    public static int EstimateJsonBytes(RemoteChange change) =>
        EscapedLength(change.Content) + EscapedLength(change.Id) + EscapedLength(change.Author) + EscapedLength(change.Description ?? "") + EscapedLength(change.Path ?? "")
        + change.ContentHash.Length + 128;

    private static int EscapedLength(string text)
    {
        var length = 0;
        foreach (var c in text)
        {
            length += c switch
            {
                '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' => 2,
                < ' ' => 6,
                < (char)0x80 => 1,
                < (char)0x800 => 2,
                // A surrogate pair is four bytes of UTF-8, two per half.
                >= (char)0xD800 and <= (char)0xDFFF => 2,
                _ => 3,
            };
        }
        return length;
    }
}
