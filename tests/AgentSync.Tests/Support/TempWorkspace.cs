using System.Diagnostics;
using System.Text;

namespace AgentSync.Tests.Support;

/// <summary>A temporary Git repository, deleted after the test.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace(bool withCorpus = false, string? email = "dev@example.com")
    {
        Root = Path.Combine(Path.GetTempPath(), "agent-sync-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Git("init", "-q", "-b", "main");
        if (email is not null)
        {
            Git("config", "user.email", email);
            Git("config", "user.name", "Test Developer");
        }

        if (withCorpus)
            Corpus.CopyTo(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public void Write(string relative, string text) => WriteBytes(relative, new UTF8Encoding(false).GetBytes(text));

    public void WriteBytes(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public bool Exists(string relative) => File.Exists(PathOf(relative));

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a test may still hold a file for a moment; the temp folder is cleaned later.
        }
    }
}
