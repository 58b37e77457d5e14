using AgentSync.Tests.Support;

namespace AgentSync.Tests.Sync;

/// <summary>One developer: a Git repository of their own and the real agent, pointed at the shared remote.</summary>
public sealed class Developer : IDisposable
{
    private readonly RemoteTarget _remote;

    public Developer(string name, RemoteTarget remote, string project, bool withCorpus = false)
    {
        Name = name;
        Email = $"{name}@example.com";
        _remote = remote;
        Project = project;
        Workspace = new TempWorkspace(withCorpus, Email);
    }

    public string Name { get; }

    public string Email { get; }

    public string Project { get; }

    public TempWorkspace Workspace { get; }

    public Task<CliResult> RunAsync(params string[] args) => AgentCli.RunAsync(Workspace.Root, null, _remote.Environment, args);

    public Task<CliResult> RunWithAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var merged = new Dictionary<string, string?>(_remote.Environment);
        foreach (var (key, value) in environment)
            merged[key] = value;
        return AgentCli.RunAsync(Workspace.Root, null, merged, args);
    }

    public async Task<CliResult> InitAsync()
    {
        var result = await RunAsync("sync", "init", "--remote", _remote.Url, "--project", Project);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public async Task<CliResult> ExpectAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"agent {string.Join(' ', args)} as {Name}: expected exit {exitCode}\n{result}");
        return result;
    }

    /// <summary>Every artifact file with its bytes, keyed by path below .agent/ (cache files excluded).</summary>
    public SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var agent = Workspace.PathOf(".agent");
        foreach (var file in Directory.EnumerateFiles(agent, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(agent, file).Replace('\\', '/');
            if (relative.StartsWith("cache/agent.", StringComparison.Ordinal) || relative.StartsWith("logs/", StringComparison.Ordinal) || relative.EndsWith(".gitignore", StringComparison.Ordinal) || relative.StartsWith("etc/", StringComparison.Ordinal))
                continue;
            files[relative] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
        }

        return files;
    }

    public void Dispose() => Workspace.Dispose();
}
