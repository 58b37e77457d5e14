#pragma warning disable CA1050 // The runtime looks for exactly this name, outside any namespace.
#pragma warning disable CA1812 // Instantiated by name by the runtime, never by code.

/// <summary>Entry of <see cref="AgentSync.Tests.Remote.SqliteFile.SecondProcess"/>; does nothing in the test host.</summary>
internal static class StartupHook
{
    public static void Initialize() => AgentSync.Tests.Remote.SqliteFile.SecondProcess.RunIfAsked();
}
