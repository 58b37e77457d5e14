using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <param name="Unchanged">Files that already held the recorded bytes, or (in the workspace) hold a local edit that was kept.</param>
public sealed record ExportResult(string Directory, int Written, int Unchanged);

/// <summary>
/// <c>agent sync export</c>: writes every artifact's recorded bytes to its path, in the workspace or under another
/// folder. Files that already hold those bytes are left alone, so Git and editors see no change.
/// </summary>
public static class ExportService
{
    public static async Task<ExportResult> RunAsync(SyncContext context, string? directory, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(directory ?? context.Workspace.Root);
        if (target == context.Workspace.Root)
            directory = null;

        var artifacts = await context.Store.ListAsync(null, null, cancellationToken);
        int written = 0, unchanged = 0;
        foreach (var artifact in artifacts.Where(a => !a.Deleted))
        {
            var content = await context.Store.GetBlobAsync(artifact.ContentHash, cancellationToken)
                ?? throw new InvalidOperationException($"blob {artifact.ContentHash} of {artifact.Id} is missing from the cache");
            var bytes = ArtifactText.Encode(content);
            var path = Path.Combine(target, artifact.Path.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(path))
            {
                // Into the workspace, a file that differs holds an edit not recorded yet: restore missing files only,
                // never overwrite someone's work (like git checkout, which refuses to clobber local changes).
                if (directory is null || (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(bytes))
                {
                    unchanged++;
                    continue;
                }
            }

            await AtomicFile.WriteAsync(path, bytes, cancellationToken, durable: directory is null);
            written++;
        }

        // Writing into the workspace itself makes those files match the record again.
        if (directory is null && written > 0)
            await new TreeRecorder(context).RecordAsync(null, "export", cancellationToken);
        return new ExportResult(target, written, unchanged);
    }
}
