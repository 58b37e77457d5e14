namespace AgentSync.Errors;

/// <summary>The documented exit codes of <c>agent</c>; any other code is a bug.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Conflicts = 1;
    public const int Usage = 2;
    public const int Queued = 75;
}
