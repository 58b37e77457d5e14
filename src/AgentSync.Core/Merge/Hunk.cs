namespace AgentSync.Merge;

/// <summary>Base lines [BaseStart, BaseEnd) replaced by side lines [SideStart, SideEnd); either range may be empty.</summary>
internal readonly record struct Hunk(int BaseStart, int BaseEnd, int SideStart, int SideEnd)
{
    public bool IsInsertion => BaseStart == BaseEnd;
}
