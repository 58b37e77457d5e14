namespace AgentSync.Merge;

/// <summary>
/// diff3 over lines: the hunks of base→local and base→remote are grouped where they interfere; a group
/// touched by one side takes that side, a group both sides changed the same way takes it once, and any
/// other group is a conflict.
/// </summary>
internal static class LineMerge
{
    /// <param name="adjacentConflicts">
    /// git's rule: hunks that merely touch (an edit right next to another) conflict. Without it, only hunks that
    /// change the same base line, or insert at the same point, do.
    /// </param>
    public static void Merge(int[] @base, int[] local, int[] remote, bool adjacentConflicts, MergeOutput output)
    {
        var ours = MyersDiff.Diff(@base, local);
        var theirs = MyersDiff.Diff(@base, remote);
        var all = new List<(Hunk Hunk, bool Ours)>(ours.Count + theirs.Count);
        all.AddRange(ours.Select(h => (h, true)));
        all.AddRange(theirs.Select(h => (h, false)));
        all.Sort((x, y) => x.Hunk.BaseStart != y.Hunk.BaseStart
            ? x.Hunk.BaseStart.CompareTo(y.Hunk.BaseStart)
            : x.Hunk.BaseEnd.CompareTo(y.Hunk.BaseEnd));

        var position = 0;
        var group = new List<(Hunk Hunk, bool Ours)>();
        foreach (var item in all)
        {
            // Sorted by start, a hunk that interferes with nothing in the open group cannot be joined to it by a later one.
            if (group.Count > 0 && !group.Exists(g => g.Ours != item.Ours && Interfere(g.Hunk, item.Hunk, adjacentConflicts)))
            {
                position = Emit(@base, local, remote, group, position, output);
                group.Clear();
            }

            group.Add(item);
        }

        if (group.Count > 0)
        {
            position = Emit(@base, local, remote, group, position, output);
        }

        output.Append(@base.AsSpan(position));
    }

    private static bool Interfere(Hunk x, Hunk y, bool adjacentConflicts)
    {
        if (adjacentConflicts)
        {
            return Math.Max(x.BaseStart, y.BaseStart) <= Math.Min(x.BaseEnd, y.BaseEnd);
        }

        return (x.IsInsertion, y.IsInsertion) switch
        {
            (true, true) => x.BaseStart == y.BaseStart,
            (true, false) => y.BaseStart < x.BaseStart && x.BaseStart < y.BaseEnd,
            (false, true) => x.BaseStart < y.BaseStart && y.BaseStart < x.BaseEnd,
            _ => Math.Max(x.BaseStart, y.BaseStart) < Math.Min(x.BaseEnd, y.BaseEnd),
        };
    }

    private static int Emit(int[] @base, int[] local, int[] remote, List<(Hunk Hunk, bool Ours)> group, int position, MergeOutput output)
    {
        var start = group.Min(g => g.Hunk.BaseStart);
        var end = group.Max(g => g.Hunk.BaseEnd);
        output.Append(@base.AsSpan(position, start - position));

        var ours = SideText(@base, local, group, ours: true, start, end);
        var theirs = SideText(@base, remote, group, ours: false, start, end);
        if (!group.Exists(g => g.Ours))
        {
            output.Append(theirs);
        }
        else if (!group.Exists(g => !g.Ours) || ours.AsSpan().SequenceEqual(theirs))
        {
            output.Append(ours);
        }
        else
        {
            output.Conflict(ours, theirs);
        }

        return end;
    }

    /// <summary>What one side has in place of base lines [start, end): base lines it kept, its own lines where it changed them.</summary>
    private static int[] SideText(int[] @base, int[] side, List<(Hunk Hunk, bool Ours)> group, bool ours, int start, int end)
    {
        var text = new List<int>();
        var position = start;
        foreach (var (hunk, isOurs) in group)
        {
            if (isOurs != ours)
            {
                continue;
            }

            text.AddRange(@base.AsSpan(position, hunk.BaseStart - position));
            text.AddRange(side.AsSpan(hunk.SideStart, hunk.SideEnd - hunk.SideStart));
            position = hunk.BaseEnd;
        }

        text.AddRange(@base.AsSpan(position, end - position));
        return [.. text];
    }
}
