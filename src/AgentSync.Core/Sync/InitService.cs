using AgentSync.Config;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Workspace;

namespace AgentSync.Sync;

public sealed record InitResult(string Root, bool CreatedConfig, bool CreatedDatabase, TreeDiff Import)
{
    public RemoteConnection? Remote { get; init; }
}

/// <summary>What init did with the remote: the project it joined or created, and the first pull.</summary>
public sealed record RemoteConnection(string Url, string Project, bool CreatedProject, SyncReport? Pull);

/// <summary>
/// <c>agent sync init</c>: finds the workspace, writes a commented sync.yaml (no secrets), creates the cache, keeps it
/// out of Git and imports every artifact. Running it again changes nothing.
/// </summary>
public static class InitService
{
    public static async Task<InitResult> RunAsync(string startDirectory, CancellationToken cancellationToken, string? remote = null, string? project = null, Func<IRemote>? remoteFactory = null)
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

        if (remote is not null)
            await SyncConfigFile.WriteSettingAsync(workspace.ConfigPath, "remote", remote.Trim(), cancellationToken);
        if (project is not null)
        {
            RemoteValidation.ValidateProject(project);
            await SyncConfigFile.WriteSettingAsync(workspace.ConfigPath, "project", project.Trim(), cancellationToken);
        }

        await using var context = await SyncContext.OpenAsync(workspace, cancellationToken);
        var import = await new TreeRecorder(context).RecordAsync(null, "import", cancellationToken);
        var result = new InitResult(workspace.Root, createdConfig, createdDatabase, import);
        if (remote is null || context.Config.Remote is not { } url)
            return result;

        bool created;
        await using (var connection = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url))
        {
            try
            {
                await connection.ConnectAsync(cancellationToken);
                created = await connection.EnsureProjectAsync(context.Config.Project, cancellationToken);
            }
            catch (RemoteUnavailableException e)
            {
                throw SyncException.Unreachable($"{connection.Describe} is unreachable ({e.Message}); sync.yaml now names it, run 'agent sync init --remote {url}' again or 'agent sync pull' when it is back", e);
            }
        }

        var pull = await new PullService(context, remoteFactory).RunAsync(null, dryRun: false, cancellationToken);
        return result with { Remote = new RemoteConnection(url, context.Config.Project, created, pull) };
    }
}
