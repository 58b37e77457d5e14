namespace AgentSync.Merge;

/// <summary>
/// The markdown merge: sections are matched across the three versions, then merged one by one, so an edit
/// can only ever meet an edit of the same section.
/// </summary>
internal static class SectionMerge
{
    public static void Merge(int[] @base, int[] local, int[] remote, LineTable lines, MergeOutput output)
    {
        var baseSections = MarkdownSections.Parse(@base, lines);
        var localSections = MarkdownSections.Parse(local, lines);
        var remoteSections = MarkdownSections.Parse(remote, lines);
        var toLocal = SectionMatcher.Match(baseSections, localSections, lines);
        var toRemote = SectionMatcher.Match(baseSections, remoteSections, lines);
        var localAdded = AddedSections(toLocal, localSections.Count);
        var remoteAdded = AddedSections(toRemote, remoteSections.Count);

        for (var b = 0; b <= baseSections.Count; b++)
        {
            MergeAdded(Concat(localSections, localAdded[b]), Concat(remoteSections, remoteAdded[b]), output);
            if (b == baseSections.Count)
            {
                break;
            }

            var original = baseSections[b];
            var ours = toLocal[b] < 0 ? null : localSections[toLocal[b]];
            var theirs = toRemote[b] < 0 ? null : remoteSections[toRemote[b]];
            switch (ours, theirs)
            {
                case ({ } o, { } t):
                    MergeSection(original, o, t, output);
                    break;
                case ({ } o, null) when !o.SameAs(original):
                    output.Conflict(o.Lines, []);
                    break;
                case (null, { } t) when !t.SameAs(original):
                    output.Conflict([], t.Lines);
                    break;
                default:
                    // Deleted on one side and untouched on the other, or deleted on both: gone.
                    break;
            }
        }
    }

    /// <summary>Groups the side's sections that have no base counterpart by the base position they were inserted before.</summary>
    private static List<int>[] AddedSections(int[] baseToSide, int sideCount)
    {
        var matched = new int[sideCount];
        Array.Fill(matched, -1);
        for (var b = 0; b < baseToSide.Length; b++)
        {
            if (baseToSide[b] >= 0)
            {
                matched[baseToSide[b]] = b;
            }
        }

        var added = new List<int>[baseToSide.Length + 1];
        for (var b = 0; b < added.Length; b++)
        {
            added[b] = [];
        }

        var before = baseToSide.Length;
        for (var s = sideCount - 1; s >= 0; s--)
        {
            if (matched[s] >= 0)
            {
                before = matched[s];
            }
            else
            {
                added[before].Insert(0, s);
            }
        }

        return added;
    }

    private static int[] Concat(List<Section> sections, List<int> indices) =>
        [.. indices.SelectMany(i => sections[i].Lines)];

    private static void MergeAdded(int[] ours, int[] theirs, MergeOutput output)
    {
        if (theirs.Length == 0 || ours.AsSpan().SequenceEqual(theirs))
        {
            output.Append(ours);
        }
        else if (ours.Length == 0)
        {
            output.Append(theirs);
        }
        else
        {
            // Both sides added different sections at the same place. Keeping both in some order would look
            // clean but can duplicate a topic under two headings; a person decides.
            output.Conflict(ours, theirs);
        }
    }

    private static void MergeSection(Section original, Section ours, Section theirs, MergeOutput output)
    {
        // Merging the heading apart from the body lets a rename on one side meet an edit of the first body line on the other.
        if (original.Heading is { } heading)
        {
            LineMerge.Merge([heading], [ours.Heading!.Value], [theirs.Heading!.Value], adjacentConflicts: false, output);
        }

        LineMerge.Merge(original.Body, ours.Body, theirs.Body, adjacentConflicts: false, output);
    }
}
