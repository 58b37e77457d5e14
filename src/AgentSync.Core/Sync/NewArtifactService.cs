using System.Globalization;
using System.Text.RegularExpressions;
using AgentSync.Artifacts;
using AgentSync.Errors;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

public sealed record NewArtifact(string Id, ArtifactKind Kind, string Path, bool IdFromRemote);

/// <summary>
/// <c>agent new-story/new-plan/new-runbook</c>: a template file with state DRAFT at its canonical path, recorded in the
/// cache. Ids are global per scope across kinds; a runbook takes its story's id.
/// </summary>
public static partial class NewArtifactService
{
    /// <summary>Allocates the next number of a scope; the sync layer plugs in the remote's atomic allocator here.</summary>
    public delegate Task<(long Number, bool FromRemote)> IdAllocator(string scope, long localMax, CancellationToken cancellationToken);

    public static Task<(long, bool)> LocalAllocator(string scope, long localMax, CancellationToken cancellationToken) =>
        Task.FromResult((localMax + 1, false));

    public static async Task<NewArtifact> CreateAsync(SyncContext context, ArtifactKind kind, string scope, string title, IdAllocator allocate, CancellationToken cancellationToken)
    {
        scope = NormalizeScope(scope);
        title = title.Trim();
        if (title.Length == 0 || title.Contains('\n', StringComparison.Ordinal))
            throw SyncException.Usage("the title must be one non-empty line, e.g. agent new-story INFRA \"Add audit export\"");
        // Choosing an id and writing its file is one step for every process on this workspace.
        using var held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
        // Files on disk may not be recorded yet; take them in first so their ids count.
        await new TreeRecorder(context).RecordAsync(null, "import", cancellationToken);
        var localMax = await context.Store.MaxNumberAsync(scope, cancellationToken);
        var (number, fromRemote) = await allocate(scope, localMax, cancellationToken);
        var id = $"{scope}-{number.ToString("000", CultureInfo.InvariantCulture)}";
        var content = kind == ArtifactKind.Plan ? Templates.Plan(id, title) : Templates.Story(id, title);
        return await WriteAsync(context, kind, scope, id, title, content, fromRemote, cancellationToken);
    }

    public static async Task<NewArtifact> CreateRunbookAsync(SyncContext context, string storyId, CancellationToken cancellationToken)
    {
        storyId = storyId.Trim().ToUpperInvariant();
        using var held = await WorkspaceLock.AcquireAsync(context.Workspace, LocalStore.BusyTimeout, cancellationToken);
        await new TreeRecorder(context).RecordAsync(null, "import", cancellationToken);
        var story = await context.Store.GetAsync(storyId, ArtifactKind.Story, cancellationToken);
        if (story is null || story.Deleted)
            throw SyncException.Usage($"story {storyId} does not exist; create it with 'agent new-story' or check 'agent list --kind story'");
        if (await context.Store.GetAsync(storyId, ArtifactKind.Runbook, cancellationToken) is { Deleted: false } existing)
            throw SyncException.Usage($"runbook {storyId} already exists at {existing.Path}; edit that file");
        return await WriteAsync(context, ArtifactKind.Runbook, story.Scope, storyId, story.Title, Templates.Runbook(storyId, story.Title), false, cancellationToken);
    }

    private static async Task<NewArtifact> WriteAsync(SyncContext context, ArtifactKind kind, string scope, string id, string title, string content, bool fromRemote, CancellationToken cancellationToken)
    {
        var path = context.Config.Locations.CanonicalPath(kind, scope, id, title);
        var full = context.Workspace.FullPath(path);
        if (File.Exists(full))
            throw SyncException.Usage($"{path} already exists; edit it or choose another title");
        await AtomicFile.WriteTextAsync(full, content, cancellationToken);
        await new TreeRecorder(context).RecordAsync([path], "create", cancellationToken);
        return new NewArtifact(id, kind, path, fromRemote);
    }

    private static string NormalizeScope(string scope)
    {
        var upper = scope.Trim().ToUpperInvariant();
        return ScopePattern().IsMatch(upper)
            ? upper
            : throw SyncException.Usage($"scope '{scope}' is not valid; use letters and digits starting with a letter, e.g. INFRA or WEB");
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]{0,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();
}
