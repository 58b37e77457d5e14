namespace AgentSync.Merge;

/// <summary>How much of the document's structure the merge may rely on.</summary>
public enum MergeFormat
{
    /// <summary>
    /// Sections split by ATX headings are matched across versions and merged one by one; inside a section,
    /// edits that touch different lines merge even when they are adjacent.
    /// </summary>
    Markdown,

    /// <summary>
    /// Plain line-level diff3 with git's rules (adjacent edits conflict); for YAML journeys, where a
    /// <c>#</c> line is a comment and not a heading.
    /// </summary>
    Text,
}
