namespace AgentSync.Tests.Merge;

/// <summary>
/// A base story and two edited copies. Local only touches sections marked for it and remote only the others,
/// so the merge has a known answer: each section as the side that edited it left it.
/// </summary>
public sealed record MergeScenario(MarkdownDocument Base, MarkdownDocument Local, MarkdownDocument Remote, MarkdownDocument Expected)
{
    /// <summary>Lines that exist only because an edit wrote them; a clean merge must keep every one.</summary>
    public IEnumerable<string> AddedLines => AddedBy(Local).Concat(AddedBy(Remote));

    public static IEnumerable<string> AddedBy(MarkdownDocument document) =>
        document.Sections
            .SelectMany(s => s.Heading is null ? s.Body : [s.Heading, .. s.Body])
            .Select(l => l.Text)
            .Where(t => t.Contains("by local", StringComparison.Ordinal) || t.Contains("by remote", StringComparison.Ordinal));

    public override string ToString() =>
        $"BASE:\n{Base.Render()}\nLOCAL:\n{Local.Render()}\nREMOTE:\n{Remote.Render()}";
}

/// <summary>A scenario whose two sides edit different lines, often neighbours in the same section.</summary>
public sealed record LineEditScenario(MergeScenario Scenario)
{
    public override string ToString() => Scenario.ToString();
}

/// <summary>The drawn shape of a story: for each section (the preamble first) the kinds of its body lines.</summary>
public sealed record StoryShape(int[][] Bodies, int Endings, bool TrailingNewline, bool Bom);

/// <summary>Two sides that may have edited the same sections.</summary>
public sealed record ConcurrentEditScenario(MarkdownDocument Base, MarkdownDocument Local, MarkdownDocument Remote)
{
    public override string ToString() =>
        $"BASE:\n{Base.Render()}\nLOCAL:\n{Local.Render()}\nREMOTE:\n{Remote.Render()}";
}

/// <summary>A base and a copy whose sections were deleted, moved, added and edited.</summary>
public sealed record RestructuredScenario(MarkdownDocument Base, MarkdownDocument Changed)
{
    public override string ToString() => $"BASE:\n{Base.Render()}\nCHANGED:\n{Changed.Render()}";
}
