using AgentSync.Errors;

namespace AgentSync.Workspace;

/// <summary>
/// A repository that holds governance artifacts under <c>.agent/</c>: its root and the well-known paths in it.
/// Relative paths use '/' on every platform because they are also keys in SQLite and on the remote.
/// </summary>
public sealed class AgentWorkspace
{
    private AgentWorkspace(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string AgentDirectory => Path.Combine(Root, ".agent");

    public string DatabasePath => Path.Combine(Root, ".agent", "cache", "agent.db");

    public string ConfigPath => Path.Combine(Root, ".agent", "etc", "sync.yaml");

    public string LogDirectory => Path.Combine(Root, ".agent", "logs");

    public bool IsInitialized => File.Exists(DatabasePath);

    public static AgentWorkspace At(string root) => new(root);

    /// <summary>The enclosing directory that has <c>.agent/</c>, else the enclosing Git root (for <c>init</c>).</summary>
    public static AgentWorkspace? Discover(string start)
    {
        string? gitRoot = null;
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".agent")))
                return new AgentWorkspace(dir.FullName);
            var git = Path.Combine(dir.FullName, ".git");
            if (gitRoot is null && (Directory.Exists(git) || File.Exists(git)))
                gitRoot = dir.FullName;
        }

        return gitRoot is null ? null : new AgentWorkspace(gitRoot);
    }

    /// <summary>The initialized workspace around <paramref name="start"/>, or a usage error that says to run init.</summary>
    public static AgentWorkspace Require(string start)
    {
        var workspace = Discover(start);
        if (workspace is null || !Directory.Exists(workspace.AgentDirectory))
            throw SyncException.Usage($"no agent workspace at or above {start}: run 'agent sync init' in your repository first");
        if (!workspace.IsInitialized)
            throw SyncException.Usage($"{workspace.Root} has .agent/ but no sync cache yet: run 'agent sync init' first");
        return workspace;
    }

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The '/'-separated path of <paramref name="path"/> below the root; null when it lies outside.</summary>
    public string? RelativePath(string path)
    {
        var full = Path.GetFullPath(path, Root);
        var relative = Path.GetRelativePath(Root, full);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return null;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
