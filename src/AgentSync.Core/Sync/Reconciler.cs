using System.Text;
using AgentSync.Artifacts;
using AgentSync.Merge;
using AgentSync.Remote;
using AgentSync.Store;

namespace AgentSync.Sync;

/// <summary>The remote's current head of one artifact, as a pull page or a push conflict reports it.</summary>
internal sealed record RemoteHead(string Id, ArtifactKind Kind, long Version, string Content, string ContentHash, bool Deleted, string? Author, string? PathBelow)
{
    /// <summary><see cref="Content"/> as UTF-8 when the remote handed it over so; null: encode it.</summary>
    public byte[]? Utf8 { get; init; }

    /// <summary>A head made by <see cref="Of"/> from a change read as UTF-8 decodes its text on first use only.</summary>
    public string Content { get => field ??= Encoding.UTF8.GetString(Utf8!); init; } = Content;

    public byte[] Bytes() => Utf8 ?? Workspace.ArtifactText.Encode(Content);

    /// <summary>The head a pulled change brings, its text left undecoded when the change's is.</summary>
    public static RemoteHead Of(RemoteChangeRecord change) =>
        new(change.Id, change.Kind, change.Version, change.Utf8 is null ? change.Content : null!, change.ContentHash, change.Deleted, change.Author, change.Path) { Utf8 = change.Utf8 };
}

internal enum Outcome
{
    /// <summary>Nothing local to keep: the file now equals the remote (with the local state kept).</summary>
    FastForward,

    /// <summary>Both sides changed and merged cleanly; the merge is a local change to push.</summary>
    Merged,

    /// <summary>Overlapping edits: markers in the file, nothing pushed until resolved.</summary>
    Conflict,

    /// <summary>The remote deleted an unedited artifact: its file is gone.</summary>
    Removed,

    /// <summary>New from the remote: a new file.</summary>
    Created,

    /// <summary>Already up to date.</summary>
    Skipped,
}

/// <summary>
/// Brings one artifact up to a remote head: fast-forward when there is nothing local, three-way merge when both sides
/// changed, conflict markers when they overlap. Git governs state: the local state is kept in whatever is written, and
/// a differing remote state is remembered for status.
/// </summary>
internal sealed class Reconciler(SyncContext context)
{
    private readonly ArtifactWriter _writer = new(context);

    /// <summary>True when the local artifact has something the remote does not: an edit, a deletion or a conflict.
    /// A difference in the state field alone does not count, because Git, not sync, carries state.</summary>
    public async Task<bool> HasLocalEditAsync(StoredArtifact local, CancellationToken cancellationToken)
    {
        if (local.Conflicted || local.Deleted)
            return true;
        if (local.BaseHash == local.ContentHash)
            return false;
        if (local.BaseHash is null)
            return true;
        var ours = await BlobAsync(local.ContentHash, cancellationToken);
        var @base = await BlobAsync(local.BaseHash, cancellationToken);
        return StateField.Keep(@base, ours, local.Kind == ArtifactKind.Journey) != ours;
    }

    /// <param name="unrecordedContent">In a dry run, the file's content when it changed on disk but was not recorded.</param>
    public async Task<Outcome> ApplyAsync(StoredArtifact? local, RemoteHead theirs, bool localEdited, bool dryRun, CancellationToken cancellationToken, string? unrecordedContent = null)
    {
        var locations = context.Config.Locations;
        var store = context.Store;
        if (local is null)
        {
            if (theirs.Deleted)
                return Outcome.Skipped;
            var scope = ArtifactParser.ScopeOf(theirs.Id) ?? theirs.Kind.Name().ToUpperInvariant();
            // The text is parsed once, at the path it gets: the canonical name's title is needed only when the remote
            // gives no usable path (parsing each new artifact twice was a tenth of applying a page of them).
            string? canonicalTitle = null;
            // Encoded once (or not at all): the blob's hash, the file and what is parsed come from the same bytes, and
            // the text is not decoded into a string at all (a pull of 1,000 spent a fifth of its page faults on them).
            var bytes = theirs.Bytes();
            string CanonicalTitle() => canonicalTitle ??= ArtifactParser.Identify(locations.CanonicalPath(theirs.Kind, scope, theirs.Id, "x"), bytes, locations)?.Title ?? theirs.Id;
            var path = locations.PathFromRemote(theirs.Kind, theirs.PathBelow, scope, theirs.Id, CanonicalTitle);
            if (dryRun)
                return Outcome.Created;
            var identified = ArtifactParser.Identify(path, bytes, locations);
            var baseHash = await store.PutBlobAsync(bytes, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var fresh = new StoredArtifact(theirs.Id, theirs.Kind, scope, identified?.Title ?? CanonicalTitle(), null, path, baseHash, theirs.Version, baseHash, theirs.Author, now, now, null, null, false, false, null);
            // A file already there under that name that the cache never recorded is someone's work: merge, don't overwrite.
            // Unless it is a beginning of this very text: then it is our own write of it, cut short by a kill or a power
            // cut before its row committed, and completing it loses nothing.
            var full = context.Workspace.FullPath(path);
            await _writer.SettleAsync(full);
            var absent = _writer.Absent(full);
            if (!absent)
            {
                var there = File.ReadAllBytes(full);
                if (!bytes.AsSpan().StartsWith(there))
                {
                    var existing = Workspace.ArtifactText.Decode(there, path, long.MaxValue);
                    var oursHash = await store.PutBlobAsync(existing, cancellationToken);
                    return await MergeAsync(fresh with { Title = CanonicalTitle(), ContentHash = oursHash, BaseHash = null, BaseVersion = 0 }, theirs, dryRun, cancellationToken);
                }
            }

            await _writer.WriteNewAsync(fresh, bytes, baseHash, absent, identified, cancellationToken);
            return Outcome.Created;
        }

        if (local.BaseVersion >= theirs.Version)
            return Outcome.Skipped;

        if (theirs.Deleted)
        {
            if (!localEdited)
            {
                if (!dryRun)
                    await _writer.DeleteAsync(local, "pull-delete", cancellationToken);
                return Outcome.Removed;
            }

            if (local.Deleted)
            {
                if (!dryRun)
                    await store.RemoveAsync(local.Id, local.Kind, cancellationToken);
                return Outcome.Removed;
            }

            // Deleted there, edited here: a conflict, never a silent winner. The local file stays as it is.
            if (!dryRun)
            {
                await store.PutAsync(Conflict(local, theirs, null) with { FileSize = null, FileMtime = null }, cancellationToken);
            }

            return Outcome.Conflict;
        }

        if (!localEdited)
        {
            var ours = await BlobAsync(local.ContentHash, cancellationToken);
            var content = StateField.Keep(theirs.Content, ours, local.Kind == ArtifactKind.Journey);
            if (dryRun)
                return Outcome.FastForward;
            // Encoded once when the file takes their text as it is: the blob's hash and the file come from the same bytes.
            var same = content == theirs.Content;
            var bytes = same ? theirs.Bytes() : null;
            var baseHash = await (bytes is null ? store.PutBlobAsync(theirs.Content, cancellationToken) : store.PutBlobAsync(bytes, cancellationToken));
            // The stored record keeps its path, which no other record can hold.
            await _writer.WriteAsync(Clean(local, theirs, baseHash, content), content, "pull", cancellationToken, same ? baseHash : null, encoded: bytes, ownPath: true);
            return Outcome.FastForward;
        }

        if (local.Deleted)
        {
            // Deleted here, edited there: bring the file back with their text and let the user decide.
            if (dryRun)
                return Outcome.Conflict;
            var theirsHash = await store.PutBlobAsync(theirs.Content, cancellationToken);
            await _writer.WriteAsync(Conflict(local, theirs, theirsHash) with { Deleted = true }, theirs.Content, "conflict", cancellationToken);
            return Outcome.Conflict;
        }

        return await MergeAsync(local, theirs, dryRun, cancellationToken, unrecordedContent);
    }

    private async Task<Outcome> MergeAsync(StoredArtifact local, RemoteHead theirs, bool dryRun, CancellationToken cancellationToken, string? unrecordedContent = null)
    {
        var yaml = local.Kind == ArtifactKind.Journey;
        var ours = unrecordedContent ?? await BlobAsync(local.ContentHash, cancellationToken);
        if (local.BaseHash is null && !local.Deleted && theirs.Content.StartsWith(ours, StringComparison.Ordinal))
        {
            // Never shared, and only a beginning of the remote text: a pull's write of this file cut short (new files are
            // written in place), which the scan then recorded. Taking the remote text keeps every byte there was.
            if (dryRun)
                return Outcome.FastForward;
            var hash = await context.Store.PutBlobAsync(theirs.Content, cancellationToken);
            await _writer.WriteAsync(Clean(local, theirs, hash, theirs.Content), theirs.Content, "pull", cancellationToken, hash);
            return Outcome.FastForward;
        }

        var @base = local.BaseHash is null ? "" : await BlobAsync(local.BaseHash, cancellationToken);
        // Both sides get the local state first, so a state change on the remote can never conflict with an edit here.
        var theirsWithOurState = StateField.Keep(theirs.Content, ours, yaml);
        var baseWithOurState = StateField.Keep(@base, ours, yaml);
        var label = $"remote v{theirs.Version} ({theirs.Author ?? "unknown"})";
        var merge = ThreeWayMerge.Merge(baseWithOurState, ours, theirsWithOurState, label, MergeFormats.For(local.Kind));
        if (dryRun)
            return merge.HasConflicts ? Outcome.Conflict : merge.Text == theirsWithOurState ? Outcome.FastForward : Outcome.Merged;

        var theirsHash = await context.Store.PutBlobAsync(theirs.Content, cancellationToken);
        if (merge.HasConflicts)
        {
            await _writer.WriteAsync(Conflict(local, theirs, theirsHash), merge.Text, "conflict", cancellationToken);
            return Outcome.Conflict;
        }

        await _writer.WriteAsync(Clean(local, theirs, theirsHash, merge.Text), merge.Text, "merge", cancellationToken);
        return merge.Text == theirsWithOurState ? Outcome.FastForward : Outcome.Merged;
    }

    /// <summary>
    /// A conflict keeps our recorded content and moves the base to the remote head, so that resolving it pushes against
    /// that head; <paramref name="theirsHash"/> null means the remote deleted the artifact.
    /// </summary>
    private static StoredArtifact Conflict(StoredArtifact local, RemoteHead theirs, string? theirsHash) => local with
    {
        Conflicted = true,
        BaseVersion = theirs.Version,
        BaseHash = theirsHash,
        RemoteVersion = theirs.Version,
        RemoteHash = theirsHash,
        RemoteAuthor = theirs.Author,
    };

    private static StoredArtifact Clean(StoredArtifact local, RemoteHead theirs, string theirsHash, string content)
    {
        var yaml = local.Kind == ArtifactKind.Journey;
        var remoteState = StateField.Find(theirs.Content, yaml)?.Value;
        var localState = StateField.Find(content, yaml)?.Value;
        return local with
        {
            BaseVersion = theirs.Version,
            BaseHash = theirsHash,
            Conflicted = false,
            Deleted = false,
            RemoteState = remoteState != localState ? remoteState : null,
            RemoteVersion = null,
            RemoteHash = null,
            RemoteAuthor = null,
        };
    }

    private async Task<string> BlobAsync(string hash, CancellationToken cancellationToken) =>
        await context.Store.GetBlobAsync(hash, cancellationToken)
        ?? throw new InvalidOperationException($"blob {hash} is missing from the cache; run 'agent sync init' to rebuild it");
}
