namespace AgentSync.Tests.Remote.SqliteFile;

/// <summary>A directory of its own for one test class's remote file (and its -wal and -shm companions).</summary>
public sealed class TemporaryRemoteFile : IDisposable
{
    public TemporaryRemoteFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("agent-sync-remote-");
        Path = System.IO.Path.Combine(Directory.FullName, "remote.db");
    }

    public DirectoryInfo Directory { get; }

    public string Path { get; }

    public void Dispose() => Directory.Delete(recursive: true);
}
