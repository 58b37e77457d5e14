using System.Buffers;

namespace AgentSync.Merge;

/// <summary>
/// Myers' O(ND) difference algorithm in linear space (the middle-snake bisection), so that two large,
/// very different files cost memory proportional to their length, not to the square of the distance.
/// </summary>
internal static partial class MyersDiff
{
    /// <summary>The hunks turning <paramref name="from"/> into <paramref name="to"/>, in order, never touching each other.</summary>
    public static List<Hunk> Diff(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        // The common head and tail go first, as in git: among equally short diffs, that choice keeps a run of
        // equal lines (blank lines, say) aligned the way the author most likely meant.
        var prefix = from.CommonPrefixLength(to);
        var suffix = CommonSuffixLength(from[prefix..], to[prefix..]);
        from = from[prefix..^suffix];
        to = to[prefix..^suffix];

        // Lines found in only one version can never be matched; setting them aside (as git's xdiff does) shrinks
        // a rewrite, Myers' worst case, to the few lines the versions still share.
        var fromKept = Shared(from, to);
        var toKept = Shared(to, from);
        var hunks = new List<Hunk>();
        if (fromKept.Length == from.Length && toKept.Length == to.Length)
        {
            Compute(from, prefix, to, prefix, hunks);
            return hunks;
        }

        Compute(Select(from, fromKept), 0, Select(to, toKept), 0, hunks);
        return Expand(hunks, fromKept, toKept, from.Length, to.Length, prefix);
    }

    private static void Compute(ReadOnlySpan<int> a, int aOffset, ReadOnlySpan<int> b, int bOffset, List<Hunk> hunks)
    {
        var prefix = a.CommonPrefixLength(b);
        a = a[prefix..];
        b = b[prefix..];
        aOffset += prefix;
        bOffset += prefix;

        var suffix = CommonSuffixLength(a, b);
        a = a[..^suffix];
        b = b[..^suffix];

        if (a.IsEmpty || b.IsEmpty)
        {
            Add(hunks, aOffset, a.Length, bOffset, b.Length);
            return;
        }

        var (x, y) = Bisect(a, b);

        // A split at either corner would recurse on the same problem forever; treat it as "nothing in common".
        if (x <= 0 && y <= 0 || x >= a.Length && y >= b.Length)
        {
            Add(hunks, aOffset, a.Length, bOffset, b.Length);
            return;
        }

        Compute(a[..x], aOffset, b[..y], bOffset, hunks);
        Compute(a[x..], aOffset + x, b[y..], bOffset + y, hunks);
    }

    private static int CommonSuffixLength(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && a[a.Length - 1 - i] == b[b.Length - 1 - i])
        {
            i++;
        }

        return i;
    }

    private static void Add(List<Hunk> hunks, int aStart, int aLength, int bStart, int bLength)
    {
        if (aLength == 0 && bLength == 0)
        {
            return;
        }

        // Recursion halves can leave two hunks that meet without a common line between them: one hunk, then.
        if (hunks.Count > 0 && hunks[^1].BaseEnd == aStart && hunks[^1].SideEnd == bStart)
        {
            var last = hunks[^1];
            hunks[^1] = last with { BaseEnd = aStart + aLength, SideEnd = bStart + bLength };
            return;
        }

        hunks.Add(new Hunk(aStart, aStart + aLength, bStart, bStart + bLength));
    }

    /// <summary>Finds a point on an optimal edit path roughly halfway through it; (-1, -1) when the inputs share nothing.</summary>
    private static (int X, int Y) Bisect(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var n = a.Length;
        var m = b.Length;
        var maxD = (n + m + 1) / 2;
        var offset = maxD;
        var length = 2 * maxD + 2;
        var forward = ArrayPool<int>.Shared.Rent(length);
        var reverse = ArrayPool<int>.Shared.Rent(length);
        try
        {
            Array.Fill(forward, -1, 0, length);
            Array.Fill(reverse, -1, 0, length);
            forward[offset + 1] = 0;
            reverse[offset + 1] = 0;
            var delta = n - m;
            var front = delta % 2 != 0;
            int k1Start = 0, k1End = 0, k2Start = 0, k2End = 0;

            for (var d = 0; d < maxD; d++)
            {
                for (var k1 = -d + k1Start; k1 <= d - k1End; k1 += 2)
                {
                    var k1Offset = offset + k1;
                    var x1 = k1 == -d || k1 != d && forward[k1Offset - 1] < forward[k1Offset + 1]
                        ? forward[k1Offset + 1]
                        : forward[k1Offset - 1] + 1;
                    var y1 = x1 - k1;
                    while (x1 < n && y1 < m && a[x1] == b[y1])
                    {
                        x1++;
                        y1++;
                    }

                    forward[k1Offset] = x1;
                    if (x1 > n)
                    {
                        k1End += 2;
                    }
                    else if (y1 > m)
                    {
                        k1Start += 2;
                    }
                    else if (front)
                    {
                        var k2Offset = offset + delta - k1;
                        if (k2Offset >= 0 && k2Offset < length && reverse[k2Offset] != -1 && x1 >= n - reverse[k2Offset])
                        {
                            return (x1, y1);
                        }
                    }
                }

                for (var k2 = -d + k2Start; k2 <= d - k2End; k2 += 2)
                {
                    var k2Offset = offset + k2;
                    var x2 = k2 == -d || k2 != d && reverse[k2Offset - 1] < reverse[k2Offset + 1]
                        ? reverse[k2Offset + 1]
                        : reverse[k2Offset - 1] + 1;
                    var y2 = x2 - k2;
                    while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1])
                    {
                        x2++;
                        y2++;
                    }

                    reverse[k2Offset] = x2;
                    if (x2 > n)
                    {
                        k2End += 2;
                    }
                    else if (y2 > m)
                    {
                        k2Start += 2;
                    }
                    else if (!front)
                    {
                        var k1Offset = offset + delta - k2;
                        if (k1Offset >= 0 && k1Offset < length && forward[k1Offset] != -1)
                        {
                            var x1 = forward[k1Offset];
                            var y1 = offset + x1 - k1Offset;
                            if (x1 >= n - x2)
                            {
                                return (x1, y1);
                            }
                        }
                    }
                }
            }

            return (-1, -1);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(forward);
            ArrayPool<int>.Shared.Return(reverse);
        }
    }
}
