using AgentSync.Errors;

namespace AgentSync.Workspace;

/// <summary>
/// Serializes the multi-step operations of several <c>agent</c> processes on one workspace (new-* choosing an id,
/// push, pull): each holds an exclusive lock on <c>.agent/cache/agent.lock</c> (flock on Unix) while it runs.
/// SQLite transactions protect single steps; this protects read-decide-write sequences that span files and rows.
/// </summary>
public sealed class WorkspaceLock : IDisposable
{
    private readonly FileStream _stream;

    private WorkspaceLock(FileStream stream) => _stream = stream;

    public static async Task<WorkspaceLock> AcquireAsync(AgentWorkspace workspace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(workspace.DatabasePath)!, "agent.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                return new WorkspaceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
            }
            catch (IOException e)
            {
                throw SyncException.Usage($"another agent process has been working in {workspace.Root} for more than {timeout.TotalSeconds:0} s; wait for it to finish and run the command again", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
