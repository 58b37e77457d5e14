namespace AgentSync.Workspace;

/// <summary>Writes a file so that readers (and a crash) see either the old bytes or the new ones, never a mix.</summary>
public static class AtomicFile
{
    public static async Task WriteAsync(string fullPath, byte[] bytes, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                // Without the flush to disk a power cut after the rename can leave an empty file under the real name.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static Task WriteTextAsync(string fullPath, string text, CancellationToken cancellationToken) =>
        WriteAsync(fullPath, ArtifactText.Encode(text), cancellationToken);
}
