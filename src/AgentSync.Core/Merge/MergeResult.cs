namespace AgentSync.Merge;

/// <summary>The merged text and how many conflict blocks it contains.</summary>
public sealed record MergeResult(string Text, int ConflictCount)
{
    public bool HasConflicts => ConflictCount > 0;
}
