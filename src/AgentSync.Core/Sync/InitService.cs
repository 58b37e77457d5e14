using AgentSync.Config;
using AgentSync.Errors;
using AgentSync.Workspace;

namespace AgentSync.Sync;

public sealed record InitResult(string Root, bool CreatedConfig, bool CreatedDatabase, TreeDiff Import);

/// <summary>
/// <c>agent sync init</c>: finds the workspace, writes a commented sync.yaml (no secrets), creates the cache, keeps it
/// out of Git and imports every artifact. Running it again changes nothing.
/// </summary>
public static class InitService
{
    public static async Task<InitResult> RunAsync(string startDirectory, CancellationToken cancellationToken)
    {
        var workspace = AgentWorkspace.Discover(startDirectory)
            ?? throw SyncException.Usage($"{startDirectory} is not inside a Git repository or a folder with .agent/; run 'git init' first or cd into your repository");

        var createdConfig = false;
        if (!File.Exists(workspace.ConfigPath))
        {
            await AtomicFile.WriteTextAsync(workspace.ConfigPath, SyncConfigFile.Template, cancellationToken);
            createdConfig = true;
        }

        var createdDatabase = !workspace.IsInitialized;
        // The cache and the logs are per developer: Git must never pick them up.
        var cacheDir = Path.GetDirectoryName(workspace.DatabasePath)!;
        Directory.CreateDirectory(cacheDir);
        await GitConfig.EnsureIgnoredAsync(cacheDir, "agent.db*", cancellationToken);
        await GitConfig.EnsureIgnoredAsync(cacheDir, "agent.lock", cancellationToken);
        await GitConfig.EnsureIgnoredAsync(workspace.AgentDirectory, "logs/", cancellationToken);

        await using var context = await SyncContext.OpenAsync(workspace, cancellationToken);
        var import = await new TreeRecorder(context).RecordAsync(null, "import", cancellationToken);
        return new InitResult(workspace.Root, createdConfig, createdDatabase, import);
    }
}
