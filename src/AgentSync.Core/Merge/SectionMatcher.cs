namespace AgentSync.Merge;

/// <summary>
/// Pairs the sections of the base with those of one side. Headings that survived are matched first (an LCS
/// over heading text, so order is kept). Between two such anchors, as many sections on both sides are paired
/// by position (a renamed heading, maybe with its body edited too); otherwise sections were added or deleted
/// there, and only bodies similar enough are paired.
/// </summary>
internal static class SectionMatcher
{
    private const double MinimumSimilarity = 0.5;

    // Bounds the pairing work when a whole run of headings changed at once.
    private const int Window = 32;

    /// <returns>For each base section, the index of its counterpart on the side, or -1 when the side deleted it.</returns>
    public static int[] Match(List<Section> @base, List<Section> side, LineTable lines)
    {
        var map = new int[@base.Count];
        Array.Fill(map, -1);

        // The preambles are always counterparts: both documents start there.
        map[0] = 0;

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var baseKeys = @base.Skip(1).Select(s => KeyId(keys, s.Key)).ToArray();
        var sideKeys = side.Skip(1).Select(s => KeyId(keys, s.Key)).ToArray();

        var b = 0;
        var s = 0;
        foreach (var hunk in MyersDiff.Diff(baseKeys, sideKeys))
        {
            for (; b < hunk.BaseStart; b++, s++)
            {
                map[b + 1] = s + 1;
            }

            Pair(@base, side, lines, map, hunk);
            b = hunk.BaseEnd;
            s = hunk.SideEnd;
        }

        for (; b < baseKeys.Length; b++, s++)
        {
            map[b + 1] = s + 1;
        }

        return map;
    }

    private static int KeyId(Dictionary<string, int> keys, string key)
    {
        if (!keys.TryGetValue(key, out var id))
        {
            id = keys.Count;
            keys.Add(key, id);
        }

        return id;
    }

    private static void Pair(List<Section> @base, List<Section> side, LineTable lines, int[] map, Hunk hunk)
    {
        if (hunk.BaseEnd - hunk.BaseStart == hunk.SideEnd - hunk.SideStart)
        {
            for (var i = 0; i < hunk.BaseEnd - hunk.BaseStart; i++)
            {
                map[hunk.BaseStart + i + 1] = hunk.SideStart + i + 1;
            }

            return;
        }

        var next = hunk.SideStart;
        for (var b = hunk.BaseStart; b < hunk.BaseEnd; b++)
        {
            var best = -1;
            var bestSimilarity = MinimumSimilarity;
            for (var s = next; s < hunk.SideEnd && s < next + Window; s++)
            {
                var similarity = Similarity(@base[b + 1], side[s + 1], lines);
                if (similarity > bestSimilarity || best < 0 && similarity >= bestSimilarity)
                {
                    best = s;
                    bestSimilarity = similarity;
                }
            }

            if (best >= 0)
            {
                map[b + 1] = best + 1;
                next = best + 1;
            }
        }
    }

    /// <summary>Dice coefficient over the non-blank body lines; two empty bodies are alike.</summary>
    internal static double Similarity(Section x, Section y, LineTable lines)
    {
        var counts = new Dictionary<int, int>();
        var xCount = 0;
        foreach (var id in x.Body)
        {
            if (!string.IsNullOrWhiteSpace(lines[id]))
            {
                counts[id] = counts.GetValueOrDefault(id) + 1;
                xCount++;
            }
        }

        var yCount = 0;
        var common = 0;
        foreach (var id in y.Body)
        {
            if (string.IsNullOrWhiteSpace(lines[id]))
            {
                continue;
            }

            yCount++;
            if (counts.GetValueOrDefault(id) > 0)
            {
                counts[id]--;
                common++;
            }
        }

        return xCount + yCount == 0 ? 1.0 : 2.0 * common / (xCount + yCount);
    }
}
