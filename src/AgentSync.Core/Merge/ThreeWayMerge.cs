namespace AgentSync.Merge;

/// <summary>
/// Three-way merge of artifact text. Pure and deterministic: the same inputs always give the same bytes.
/// </summary>
public static class ThreeWayMerge
{
    private const char ByteOrderMark = '\uFEFF';

    /// <param name="base">The common ancestor.</param>
    /// <param name="local">Ours.</param>
    /// <param name="remote">Theirs.</param>
    /// <param name="remoteLabel">Names theirs in conflict markers, e.g. <c>remote v7 (bob@example.com)</c>.</param>
    /// <param name="format"><see cref="MergeFormat.Text"/> for YAML journeys.</param>
    public static MergeResult Merge(string @base, string local, string remote, string remoteLabel, MergeFormat format = MergeFormat.Markdown)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(remoteLabel);

        // When a side did nothing, the other side's bytes are the answer, whatever the merge would make of them.
        if (string.Equals(local, remote, StringComparison.Ordinal) || string.Equals(remote, @base, StringComparison.Ordinal))
        {
            return new MergeResult(local, 0);
        }

        if (string.Equals(local, @base, StringComparison.Ordinal))
        {
            return new MergeResult(remote, 0);
        }

        return MergeChanged(@base, local, remote, remoteLabel, format);
    }

    /// <summary>The merge proper, without the shortcuts, so that tests can hold it to the same laws.</summary>
    internal static MergeResult MergeChanged(string @base, string local, string remote, string remoteLabel, MergeFormat format)
    {
        // The byte order mark is a flag of the file, not a part of its first line: merge it as such.
        var (baseBom, localBom, remoteBom) = (HasBom(@base), HasBom(local), HasBom(remote));
        var bom = localBom != baseBom ? localBom : remoteBom;

        var lines = new LineTable();
        var baseIds = lines.Split(baseBom ? @base[1..] : @base);
        var localIds = lines.Split(localBom ? local[1..] : local);
        var remoteIds = lines.Split(remoteBom ? remote[1..] : remote);

        // A label is one line of the marker; a newline in it would forge a line of content.
        var label = remoteLabel.ReplaceLineEndings(" ");
        var output = new MergeOutput(lines, LineEndings.Dominant(local, remote, @base), label);
        if (format == MergeFormat.Text)
        {
            LineMerge.Merge(baseIds, localIds, remoteIds, adjacentConflicts: true, output);
        }
        else
        {
            SectionMerge.Merge(baseIds, localIds, remoteIds, lines, output);
        }

        var text = output.Text;
        return new MergeResult(bom ? ByteOrderMark + text : text, output.ConflictCount);
    }

    private static bool HasBom(string text) => text.Length > 0 && text[0] == ByteOrderMark;
}
