namespace AgentSync.Workspace;

/// <summary>Writes a file so that readers (and a crash) see either the old bytes or the new ones, never a mix.</summary>
public static class AtomicFile
{
    /// <param name="durable">Flush to disk before the rename. Off for exports to another folder, which can be run
    /// again: 10,000 fsyncs made export 70x slower than git's checkout-index, which does none.</param>
    public static Task WriteAsync(string fullPath, byte[] bytes, CancellationToken cancellationToken, bool durable = true)
    {
        // Synchronous on purpose: Linux has no asynchronous file writes, so WriteAsync only moves each small file to
        // another thread and back, and exporting 1,000 files kept the thread pool spinning (1.7 s CPU).
        cancellationToken.ThrowIfCancellationRequested();
        Write(fullPath, bytes, durable);
        return Task.CompletedTask;
    }

    /// <inheritdoc cref="WriteAsync"/>
    public static void Write(string fullPath, byte[] bytes, bool durable = true)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(bytes);
                // Without the flush to disk a power cut after the rename can leave an empty file under the real name.
                stream.Flush(flushToDisk: durable);
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
