using System.Diagnostics;

namespace AgentSync.Sync;

/// <summary>Reads one git setting the way git resolves it (repository, global, system), by asking git itself.</summary>
public static class GitConfig
{
    public static string? Get(string workingDirectory, string key)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["config", "--get", key])
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed: fall back to the next source of identity
        }
    }

    /// <summary>Adds a pattern to the .gitignore of <paramref name="directory"/>, which teammates share through Git.</summary>
    public static async Task EnsureIgnoredAsync(string directory, string pattern, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, ".gitignore");
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : "";
        if (existing.Split('\n').Any(line => line.Trim() == pattern))
            return;
        var prefix = existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : "";
        await Workspace.AtomicFile.WriteTextAsync(path, existing + prefix + pattern + "\n", cancellationToken);
    }
}
