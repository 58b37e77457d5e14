namespace AgentSync.Bench.GitSync;

/// <summary>Plain git: a bare repository on the same disk; add, commit and push as one step, pull as the other.</summary>
internal sealed class GitScenario(string root) : SyncScenario(root)
{
    public override async Task PrepareAsync()
    {
        var bare = Path.Combine(Root, "team.git");
        Directory.CreateDirectory(bare);
        await Proc.RunAsync(bare, "git", "init", "-q", "--bare", "-b", "main");
        await GitInitAsync(Alice, "alice");
        await File.WriteAllTextAsync(Path.Combine(Alice, "README.md"), "bench\n");
        await Proc.SequenceAsync(Alice, ["git", "add", "-A"], ["git", "commit", "-q", "-m", "start"], ["git", "remote", "add", "origin", bare], ["git", "push", "-q", "-u", "origin", "main"]);
        await Proc.RunAsync(Root, "git", "clone", "-q", bare, Bob);
        await Proc.SequenceAsync(Bob, ["git", "config", "user.email", "bob@example.com"], ["git", "config", "user.name", "bob"], ["git", "config", "pull.ff", "only"]);
    }

    public override Task<double> PushAsync() =>
        Proc.SequenceAsync(Alice, ["git", "add", "-A"], ["git", "commit", "-q", "-m", "artifacts"], ["git", "push", "-q"]);

    public override Task<double> PullAsync() => Proc.RunAsync(Bob, "git", "pull", "-q");
}
