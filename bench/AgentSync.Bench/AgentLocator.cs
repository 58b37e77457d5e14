namespace AgentSync.Bench;

/// <summary>Finds the published <c>agent</c> that <c>bench/run.sh</c> leaves in <c>.build/agent</c> above the current directory.</summary>
internal static class AgentLocator
{
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".build", "agent", OperatingSystem.IsWindows() ? "agent.exe" : "agent");
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
