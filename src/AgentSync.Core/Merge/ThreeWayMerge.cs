namespace AgentSync.Merge;

/// <summary>
/// Three-way merge of artifact text. Pure and deterministic: the same inputs always give the same bytes.
/// </summary>
/// <remarks>
/// Markdown rules, beyond line-level diff3: sections (ATX headings outside fences) are matched by heading text,
/// then by position or body similarity, so a renamed heading still meets its body; the heading line merges apart
/// from the body; inside a section, edits of different lines merge even when adjacent (git would conflict), while
/// edits of the same line, or insertions at the same point, conflict. Sections added at the same place on both
/// sides with different content are one conflict, not both kept: two headings on one topic would look clean and
/// be wrong. A section deleted on one side and edited on the other is a conflict whose deleted side is empty.
/// A moved section counts as deleted and added. Conflict blocks hold only the lines that differ (git's "zealous"
/// level) and use the line ending the file mostly uses.
/// </remarks>
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
        var lineEnding = LineEndings.Dominant(local, remote, @base);

        // The byte order mark and the missing final newline are flags of the file, not parts of its first or last
        // line: each is merged as a flag, and the text is merged as if every line were terminated. Otherwise adding
        // a line after an unterminated last line would count as an edit of that line and meet any edit of it.
        var bom = MergeFlag(HasBom(@base), HasBom(local), HasBom(remote));
        var open = MergeFlag(IsOpen(@base), IsOpen(local), IsOpen(remote));

        var lines = new LineTable();
        var baseIds = lines.Split(Closed(@base, lineEnding));
        var localIds = lines.Split(Closed(local, lineEnding));
        var remoteIds = lines.Split(Closed(remote, lineEnding));

        // A label is one line of the marker; a newline in it would forge a line of content.
        var label = remoteLabel.ReplaceLineEndings(" ");
        var output = new MergeOutput(lines, lineEnding, label);
        if (format == MergeFormat.Text)
        {
            LineMerge.Merge(baseIds, localIds, remoteIds, adjacentConflicts: true, output);
        }
        else
        {
            SectionMerge.Merge(baseIds, localIds, remoteIds, lines, output);
        }

        var text = output.Text;

        // A closing conflict marker keeps its newline, as in git, so the block stays well-formed.
        if (open && text.EndsWith(lineEnding, StringComparison.Ordinal) && !text.EndsWith(">>>>>>> " + label + lineEnding, StringComparison.Ordinal))
        {
            text = text[..^lineEnding.Length];
        }

        return new MergeResult(bom ? ByteOrderMark + text : text, output.ConflictCount);
    }

    /// <summary>A side that changed the flag decides it; when both did, they agree, as a flag has only two values.</summary>
    private static bool MergeFlag(bool @base, bool local, bool remote) => local != @base ? local : remote;

    private static bool IsOpen(string text) => text.Length > 0 && text[^1] != '\n' && !(text.Length == 1 && HasBom(text));

    private static string Closed(string text, string lineEnding)
    {
        var body = HasBom(text) ? text[1..] : text;
        return IsOpen(text) ? body + lineEnding : body;
    }

    private static bool HasBom(string text) => text.Length > 0 && text[0] == ByteOrderMark;
}
