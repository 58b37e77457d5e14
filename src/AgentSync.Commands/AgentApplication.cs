using System.CommandLine;

namespace AgentSync.Commands;

/// <summary>Builds the <c>agent</c> command tree and runs it; the single place where exceptions become exit codes.</summary>
public static class AgentApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("agent: governance artifacts synchronized between developers");
        return await root.Parse(args).InvokeAsync();
    }
}
