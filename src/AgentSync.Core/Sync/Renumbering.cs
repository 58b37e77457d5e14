using System.Globalization;
using System.Text.RegularExpressions;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// An artifact created offline took the local maximum + 1 as its id; when the remote already has that id, the new local
/// artifact (and its new siblings of other kinds, such as its runbook) moves to a fresh id from the remote: file renamed,
/// references in it updated. Someone else's artifact is never overwritten.
/// </summary>
internal static class Renumbering
{
    public static async Task<StoredArtifact> RenumberAsync(SyncContext context, IRemote remote, StoredArtifact local, CancellationToken cancellationToken)
    {
        var number = await remote.NextIdAsync(context.Config.Project, local.Scope, cancellationToken);
        var newId = $"{local.Scope}-{number.ToString("000", CultureInfo.InvariantCulture)}";
        var reference = new Regex($"(?<![A-Za-z0-9]){Regex.Escape(local.Id)}(?![0-9])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        StoredArtifact? moved = null;
        foreach (var sibling in await context.Store.ListAsync(null, null, cancellationToken))
        {
            if (sibling.Id != local.Id || sibling.BaseVersion != 0 || sibling.Deleted)
                continue;
            var content = await context.Store.GetBlobAsync(sibling.ContentHash, cancellationToken) ?? "";
            var renamed = reference.Replace(content, newId);
            var fileName = Path.GetFileName(sibling.Path);
            var newName = fileName.StartsWith(local.Id, StringComparison.Ordinal) ? newId + fileName[local.Id.Length..] : fileName;
            var newPath = sibling.Path[..^fileName.Length] + newName;
            await AtomicFile.WriteTextAsync(context.Workspace.FullPath(newPath), renamed, cancellationToken);
            if (newPath != sibling.Path)
                File.Delete(context.Workspace.FullPath(sibling.Path));
            await context.Store.RemoveAsync(sibling.Id, sibling.Kind, cancellationToken);
            var hash = await context.Store.PutBlobAsync(renamed, cancellationToken);
            var stat = WorkingTree.Stat(context.Workspace, newPath);
            var updated = sibling with { Id = newId, Path = newPath, ContentHash = hash, FileSize = stat?.Size, FileMtime = stat?.Mtime, UpdatedAt = DateTimeOffset.UtcNow };
            await context.Store.PutAsync(updated, cancellationToken);
            await context.Store.AddHistoryAsync(newId, sibling.Kind, $"renumber from {sibling.Id}", hash, context.Identity.Email, cancellationToken);
            await context.Store.AddHistoryAsync(newId, sibling.Kind, "create", hash, context.Identity.Email, cancellationToken);
            if (sibling.Kind == local.Kind)
                moved = updated;
        }

        return moved ?? throw new InvalidOperationException($"renumbering {local.Id} found nothing to move");
    }
}
