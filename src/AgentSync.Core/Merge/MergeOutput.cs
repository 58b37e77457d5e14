using System.Text;

namespace AgentSync.Merge;

/// <summary>Accumulates merged lines and git-style conflict blocks.</summary>
internal sealed class MergeOutput(LineTable lines, string lineEnding, string remoteLabel)
{
    private readonly StringBuilder _text = new();

    public int ConflictCount { get; private set; }

    public string Text => _text.ToString();

    public void Append(ReadOnlySpan<int> ids)
    {
        foreach (var id in ids)
        {
            Append(lines[id]);
        }
    }

    /// <summary>
    /// Writes ours and theirs between markers. Lines both sides share at either end stay outside the block
    /// (git's "zealous" level), so the block shows only what really differs.
    /// </summary>
    public void Conflict(ReadOnlySpan<int> ours, ReadOnlySpan<int> theirs)
    {
        var prefix = ours.CommonPrefixLength(theirs);
        Append(ours[..prefix]);
        ours = ours[prefix..];
        theirs = theirs[prefix..];

        var suffix = 0;
        while (suffix < ours.Length && suffix < theirs.Length && ours[^(suffix + 1)] == theirs[^(suffix + 1)])
        {
            suffix++;
        }

        var tail = ours[^suffix..];
        ours = ours[..^suffix];
        theirs = theirs[..^suffix];

        if (!ours.IsEmpty || !theirs.IsEmpty)
        {
            ConflictCount++;
            Append("<<<<<<< local" + lineEnding);
            Append(ours);
            Append("=======" + lineEnding);
            Append(theirs);
            Append(">>>>>>> " + remoteLabel + lineEnding);
        }

        Append(tail);
    }

    // Every line arrives terminated: ThreeWayMerge closes an unterminated last line before splitting.
    private void Append(string line) => _text.Append(line);
}
