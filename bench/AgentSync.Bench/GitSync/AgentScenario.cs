namespace AgentSync.Bench.GitSync;

/// <summary>The published agent as whole processes: Alice's <c>agent sync push</c>, Bob's <c>agent sync pull</c>.</summary>
internal sealed class AgentScenario(string root, string agent, string remoteUrl) : SyncScenario(root)
{
    private const string Project = "bench";

    public override async Task PrepareAsync()
    {
        foreach (var (workspace, who) in new[] { (Alice, "alice"), (Bob, "bob") })
        {
            await GitInitAsync(workspace, who);
            await Proc.RunAsync(workspace, agent, "sync", "init", "--remote", remoteUrl, "--project", Project);
        }
    }

    public override Task<double> PushAsync() => Proc.RunAsync(Alice, agent, "sync", "push");

    public override Task<double> PullAsync() => Proc.RunAsync(Bob, agent, "sync", "pull");
}
