namespace AgentSync.Merge;

/// <summary>
/// A heading line and the lines up to the next heading. The preamble (text before the first heading) is a
/// section with no heading, and every document has one, possibly empty.
/// </summary>
internal sealed record Section(int? Heading, string Key, int[] Body)
{
    public int[] Lines => Heading is { } heading ? [heading, .. Body] : Body;

    public bool SameAs(Section other) =>
        Heading == other.Heading && Body.AsSpan().SequenceEqual(other.Body);
}
