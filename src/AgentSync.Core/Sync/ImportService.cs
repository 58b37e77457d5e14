using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary><c>agent sync import</c>: the whole tree, some paths, or one artifact's text from stdin.</summary>
public static class ImportService
{
    public static Task<TreeDiff> ImportPathsAsync(SyncContext context, IReadOnlyCollection<string>? paths, CancellationToken cancellationToken) =>
        new TreeRecorder(context).RecordAsync(paths is { Count: > 0 } ? paths : null, "import", cancellationToken);

    /// <summary>Writes the text to its canonical file (or the file that already holds that id) and records it.</summary>
    public static async Task<(string Path, TreeDiff Diff)> ImportTextAsync(SyncContext context, string text, ArtifactKind kind, CancellationToken cancellationToken)
    {
        var bytes = ArtifactText.Encode(text);
        ArtifactText.Decode(bytes, "<stdin>", context.Config.MaxFileBytes);
        // Parse as if the text sat in a folder of its kind, so the id comes from its heading or YAML id.
        var locations = context.Config.Locations;
        var probe = ArtifactLocations.IsScoped(kind) ? $"{locations.Root(kind)}/_/_{ArtifactLocations.Extension(kind)}" : $"{locations.Root(kind)}/_{ArtifactLocations.Extension(kind)}";
        var parsed = ArtifactParser.Parse(probe, text, locations)
            ?? throw SyncException.Usage($"<stdin>: no artifact id found; start the text with '# <ID>: Title' (or 'id: <ID>' for a journey)");
        var id = parsed.Id;
        if (!RemoteValidation.IsValidId(id))
            throw SyncException.Usage($"<stdin>: id '{id}' would escape the workspace; ids are letters, digits, '.', '_' and '-' only");
        var scope = ArtifactParser.ScopeOf(id) ?? kind.Name().ToUpperInvariant();
        var existing = await context.Store.GetAsync(id, kind, cancellationToken);
        var path = existing?.Path ?? locations.CanonicalPath(kind, scope, id, parsed.Title);
        var full = context.Workspace.FullPath(path);
        if (context.Workspace.RelativePath(full) != path)
            throw SyncException.Usage($"<stdin>: id '{id}' would escape the workspace; use an id such as {scope}-001");
        await AtomicFile.WriteAsync(full, bytes, cancellationToken);
        var diff = await new TreeRecorder(context).RecordAsync([path], "import", cancellationToken);
        return (path, diff);
    }
}
