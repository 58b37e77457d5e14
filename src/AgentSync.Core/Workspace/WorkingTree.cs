using System.IO.Enumeration;
using AgentSync.Artifacts;

namespace AgentSync.Workspace;

/// <summary>A file in an artifact folder, with the stat data that lets status skip unchanged files.</summary>
public sealed record TreeFile(string RelativePath, string FullPath, long Size, long Mtime);

/// <summary>Lists the artifact files of the working tree: only the configured folders, only artifact file names.</summary>
public static class WorkingTree
{
    public static List<TreeFile> Scan(AgentWorkspace workspace, ArtifactLocations locations)
    {
        var files = new List<TreeFile>();
        foreach (var kind in ArtifactKinds.All)
        {
            var root = workspace.FullPath(locations.Root(kind));
            if (!Directory.Exists(root))
                continue;
            var depth = ArtifactLocations.IsScoped(kind) ? 1 : 0;
            var options = new EnumerationOptions { RecurseSubdirectories = depth > 0, MaxRecursionDepth = depth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
            // Size and mtime straight from the directory entry's stat: no FileInfo per file (status on 10,000 artifacts
            // spent a third of its time here). Ticks are taken as in Stat below, so the two always agree.
            var entries = new FileSystemEnumerable<(string FullPath, long Size, long Mtime)>(
                root, static (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.Length, entry.LastWriteTimeUtc.UtcDateTime.Ticks), options)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            };
            foreach (var (fullPath, size, mtime) in entries)
            {
                var relative = workspace.RelativePath(fullPath);
                if (relative is not null && locations.TryClassify(relative, out var k, out _) && k == kind)
                    files.Add(new TreeFile(relative, fullPath, size, mtime));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }

    public static TreeFile? Stat(AgentWorkspace workspace, string relativePath)
    {
        var info = new FileInfo(workspace.FullPath(relativePath));
        return info.Exists ? Stat(relativePath, info) : null;
    }

    private static TreeFile Stat(string relative, FileInfo info) =>
        new(relative, info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
}
