namespace AgentSync.Bench;

/// <summary>A command and the untimed step that puts the tree back in the state it expects before each run.</summary>
internal sealed record Side(string Display, Action Prepare, Func<ToolRun> Run);

/// <summary>One row of the process table: agent and git doing the comparable thing on the same tree.</summary>
/// <param name="Heavy">Writes or hashes every file; run a third as often so a 10,000-artifact bench stays short.</param>
internal sealed record ProcessCase(string Operation, Side Agent, Side Git, double? TargetMs, bool Heavy = false);

internal sealed record ProcessResult(ProcessCase Case, Stats Agent, Stats AgentCpu, Stats Git, Stats GitCpu, ToolRun LastAgent);

/// <summary>Whole processes of the published <c>agent</c> against git, alternating so both see the same machine load.</summary>
internal static class ProcessBench
{
    public static IReadOnlyList<ProcessCase> Cases(CorpusWorkspace workspace, string agent)
    {
        var root = workspace.Root;
        var agentOut = Path.Combine(workspace.Scratch, "export-agent");
        var gitOut = Path.Combine(workspace.Scratch, "export-git");
        static void Nothing()
        {
        }

        return
        [
            new ProcessCase(
                "import",
                new Side("agent sync init", () => ResetAgent(root), () => Tool.Run(root, agent, "sync", "init")),
                new Side("git add -A && git commit", () => ResetGit(root), () => Sequence(
                    Tool.Run(root, "git", "add", "-A"),
                    Tool.Run(root, "git", "commit", "-q", "-m", "import"))),
                null,
                Heavy: true),
            new ProcessCase(
                "export",
                new Side("agent sync export --dir X", () => DeleteDirectory(agentOut), () => Tool.Run(root, agent, "sync", "export", "--dir", agentOut)),
                new Side("git checkout-index -a --prefix=X/", () => DeleteDirectory(gitOut), () => Tool.Run(root, "git", "checkout-index", "-a", $"--prefix={gitOut}/")),
                null,
                Heavy: true),
            new ProcessCase(
                "status",
                new Side("agent sync status", Nothing, () => Tool.Run(root, agent, "sync", "status")),
                new Side("git status", Nothing, () => Tool.Run(root, "git", "status")),
                500),
            new ProcessCase(
                "list by state",
                new Side("agent list --state COMMITTED", Nothing, () => Tool.Run(root, agent, "list", "--state", "COMMITTED")),
                new Side("git ls-files", Nothing, () => Tool.Run(root, "git", "ls-files")),
                500),
            new ProcessCase(
                "start-up",
                new Side("agent --help", Nothing, () => Tool.Run(root, agent, "--help")),
                new Side("git --help", Nothing, () => Tool.Run(root, "git", "--help")),
                300),
        ];
    }

    public static int Runs(ProcessCase c, int runs) => c.Heavy ? Math.Max(3, runs / 3) : runs;

    public static ProcessResult Measure(ProcessCase c, int runs)
    {
        runs = Runs(c, runs);
        var agent = new List<double>(runs);
        var git = new List<double>(runs);
        var agentCpu = new List<double>(runs);
        var gitCpu = new List<double>(runs);
        ToolRun? last = null;
        // One warm-up of each fills the page cache and git's index stat data; it is not counted.
        for (var i = -1; i < runs; i++)
        {
            c.Git.Prepare();
            var g = c.Git.Run();
            c.Agent.Prepare();
            var a = c.Agent.Run();
            last = a;
            if (g.ExitCode != 0)
                throw new InvalidOperationException($"{c.Git.Display} exited {g.ExitCode}: {g.FirstErrorLine}");
            if (i < 0)
                continue;
            git.Add(g.Milliseconds);
            agent.Add(a.Milliseconds);
            gitCpu.Add(g.CpuMilliseconds);
            agentCpu.Add(a.CpuMilliseconds);
        }

        return new ProcessResult(c, new Stats(agent), new Stats(agentCpu), new Stats(git), new Stats(gitCpu), last!);
    }

    /// <summary>A fresh tree for <c>agent sync init</c>: no cache, no settings, as right after a clone.</summary>
    private static void ResetAgent(string root)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, ".agent", "cache"), "agent.db*"))
            File.Delete(file);
        DeleteFile(Path.Combine(root, ".agent", "etc", "sync.yaml"));
        DeleteFile(Path.Combine(root, ".agent", "cache", ".gitignore"));
        DeleteFile(Path.Combine(root, ".agent", ".gitignore"));
    }

    /// <summary>A fresh repository with nothing staged, so <c>git add -A</c> hashes every file as import does.</summary>
    public static void ResetGit(string root)
    {
        DeleteDirectory(Path.Combine(root, ".git"));
        Tool.Must(root, "git", "init", "-q");
        Tool.Must(root, "git", "config", "user.email", "bench@example.com");
        Tool.Must(root, "git", "config", "user.name", "bench");
        Tool.Must(root, "git", "config", "commit.gpgsign", "false");
    }

    private static ToolRun Sequence(params ToolRun[] runs) => new(
        runs.Sum(r => r.Milliseconds),
        runs.Sum(r => r.CpuMilliseconds),
        runs.FirstOrDefault(r => r.ExitCode != 0)?.ExitCode ?? 0,
        runs.Sum(r => r.OutputLines),
        runs.FirstOrDefault(r => r.ExitCode != 0)?.FirstErrorLine ?? "");

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }

    private static void DeleteFile(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
    }
}
