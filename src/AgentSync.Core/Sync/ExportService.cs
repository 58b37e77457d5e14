using AgentSync.Workspace;

namespace AgentSync.Sync;

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
        // Into the workspace itself: take in edits made since the last record first, so none is overwritten.
        if (directory is null || target == context.Workspace.Root)
        {
            directory = null;
            await new TreeRecorder(context).RecordAsync(null, "edit", cancellationToken);
        }

        var artifacts = await context.Store.ListAsync(null, null, cancellationToken);
        int written = 0, unchanged = 0;
        foreach (var artifact in artifacts.Where(a => !a.Deleted))
        {
            var content = await context.Store.GetBlobAsync(artifact.ContentHash, cancellationToken)
                ?? throw new InvalidOperationException($"blob {artifact.ContentHash} of {artifact.Id} is missing from the cache");
            var bytes = ArtifactText.Encode(content);
            var path = Path.Combine(target, artifact.Path.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(bytes))
            {
                unchanged++;
                continue;
            }

            await AtomicFile.WriteAsync(path, bytes, cancellationToken);
            written++;
        }

        // Writing into the workspace itself makes those files match the record again.
        if (directory is null && written > 0)
            await new TreeRecorder(context).RecordAsync(null, "export", cancellationToken);
        return new ExportResult(target, written, unchanged);
    }
}
