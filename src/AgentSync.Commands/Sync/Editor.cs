using System.Diagnostics;
using AgentSync.Errors;
using AgentSync.Workspace;

namespace AgentSync.Commands.Sync;

/// <summary>Opens a file in the user's editor the way git does: $VISUAL, then $EDITOR, then git's core.editor, then vi.</summary>
internal static class Editor
{
    public static async Task OpenAsync(AgentWorkspace workspace, string relativePath, CancellationToken cancellationToken)
    {
        var editor = Environment.GetEnvironmentVariable("VISUAL") is { Length: > 0 } visual ? visual
            : Environment.GetEnvironmentVariable("EDITOR") is { Length: > 0 } env ? env
            : AgentSync.Sync.GitConfig.Get(workspace.Root, "core.editor") ?? "vi";
        // The editor setting may carry arguments ("code --wait"), so a shell runs it, as git does.
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"{editor} \"$1\"", "editor", workspace.FullPath(relativePath)])
        {
            UseShellExecute = false,
            WorkingDirectory = workspace.Root,
        };
        using var process = Process.Start(start) ?? throw SyncException.Usage($"could not start the editor '{editor}'; set VISUAL or EDITOR");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw SyncException.Usage($"the editor '{editor}' exited with {process.ExitCode}; {relativePath} is still conflicted, edit it and run 'agent sync resolve'");
    }
}
