namespace AgentSync.Merge;

/// <summary>Setting aside the lines only one version has, and mapping the diff of what remains back.</summary>
internal static partial class MyersDiff
{
    /// <summary>Indices of the lines of <paramref name="text"/> that also occur in <paramref name="other"/>.</summary>
    private static int[] Shared(ReadOnlySpan<int> text, ReadOnlySpan<int> other)
    {
        var present = new HashSet<int>(other.Length);
        foreach (var id in other)
        {
            present.Add(id);
        }

        var kept = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (present.Contains(text[i]))
            {
                kept.Add(i);
            }
        }

        return [.. kept];
    }

    private static int[] Select(ReadOnlySpan<int> text, int[] indices)
    {
        var selected = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            selected[i] = text[indices[i]];
        }

        return selected;
    }

    /// <summary>Maps the matches found between the reduced sequences back to the originals, and the gaps between them to hunks.</summary>
    private static List<Hunk> Expand(List<Hunk> reduced, int[] fromKept, int[] toKept, int fromLength, int toLength, int offset)
    {
        var hunks = new List<Hunk>();
        var (a, b) = (0, 0);
        var (i, j) = (0, 0);
        void Match(int x, int y)
        {
            Add(hunks, offset + a, fromKept[x] - a, offset + b, toKept[y] - b);
            (a, b) = (fromKept[x] + 1, toKept[y] + 1);
        }

        foreach (var hunk in reduced)
        {
            for (; i < hunk.BaseStart; i++, j++)
            {
                Match(i, j);
            }

            (i, j) = (hunk.BaseEnd, hunk.SideEnd);
        }

        for (; i < fromKept.Length; i++, j++)
        {
            Match(i, j);
        }

        Add(hunks, offset + a, fromLength - a, offset + b, toLength - b);
        return hunks;
    }
}
