using AgentSync.Artifacts;

namespace AgentSync.Remote;

/// <summary>
/// A shared, versioned store of artifacts: Supabase REST, direct Postgres, or an embedded SQLite file.
/// Every implementation passes the same conformance suite (<c>RemoteConformanceTests</c>) and has the same
/// semantics:
/// <list type="bullet">
/// <item>Each artifact (project, id, kind) has an integer version; 0 means "does not exist".</item>
/// <item>A change applies only when the current version equals its <see cref="RemoteChange.BaseVersion"/>;
/// otherwise the result is <see cref="PushStatus.Conflict"/> carrying the current head.</item>
/// <item>A batch is one transaction: a malformed item refuses the whole batch with a <see cref="RemoteException"/>
/// and nothing of it is applied; conflicts are per item and do not stop the other items.</item>
/// <item>A change id that was already applied returns its original result (exactly once under retries).</item>
/// <item>Every accepted change appends one row to the change log with a per-project sequence number assigned in
/// commit order, so a pull that has seen sequence N never later finds a committed change below N.</item>
/// </list>
/// </summary>
public interface IRemote : IAsyncDisposable
{
    /// <summary>Where this remote points, without credentials; safe for messages and logs.</summary>
    string Describe { get; }

    /// <summary>
    /// Connects and checks the remote schema version against <see cref="RemoteSchema.Version"/>; a mismatch throws a
    /// <see cref="Errors.SyncException"/> (exit 2) that names the migration to apply. Unreachable: exit 75.
    /// </summary>
    Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ConnectAsync"/> for a command that goes straight to work (push, pull): a remote whose every call checks
    /// the schema version itself may leave that check, and who the caller is, to those calls, and only connect here.
    /// Its <see cref="RemoteInfo"/> then gives this client's schema version and the transport's usual case for the service
    /// role (what is recorded comes from the remote: see <see cref="IRemoteAudit.ServiceRole"/>), and failures of the
    /// deferred check surface from the first call as <see cref="RemoteException"/>s (exit 2) with the same advice.
    /// </summary>
    Task<RemoteInfo> ConnectForWorkAsync(CancellationToken cancellationToken) => ConnectAsync(cancellationToken);

    /// <summary>Creates the project when it does not exist and the credentials allow it; the caller becomes a member.</summary>
    /// <returns>True when the project was created by this call.</returns>
    Task<bool> EnsureProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>Applies a batch atomically (see the interface remarks). Results come back in the batch's order.</summary>
    Task<IReadOnlyList<PushResult>> PushAsync(string project, IReadOnlyList<RemoteChange> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Changes with a sequence number greater than <paramref name="afterSequence"/>, in sequence order, at most
    /// <paramref name="limit"/> (clamped to <see cref="RemoteSchema.MaxPageSize"/>), and whether more follow.
    /// </summary>
    Task<PullPage> PullAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The page <see cref="PullAsync"/> returns, handed to <paramref name="apply"/> one change at a time in sequence
    /// order; returns whether more follow. A remote that streams its answer lets the first changes be applied while the
    /// rest are still on their way, and each one be dropped once applied instead of the whole page being held. An
    /// exception from <paramref name="apply"/> ends the page and leaves unchanged (never as a remote error).
    /// </summary>
    async Task<bool> PullEachAsync(string project, long afterSequence, int limit, Func<RemoteChangeRecord, Task> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var page = await PullAsync(project, afterSequence, limit, cancellationToken);
        foreach (var change in page.Changes)
            await apply(change);
        return page.More;
    }

    /// <summary>
    /// Allocates the next number for a scope atomically: one more than both the highest number ever allocated and
    /// the highest number of any artifact id in that scope (ids are global per scope across kinds).
    /// </summary>
    Task<long> NextIdAsync(string project, string scope, CancellationToken cancellationToken);

    /// <summary>Every version of one artifact from the change log, oldest first.</summary>
    Task<IReadOnlyList<RemoteChangeRecord>> LogAsync(string project, string id, ArtifactKind kind, CancellationToken cancellationToken);
}

public static class RemoteSchema
{
    /// <summary>The remote schema version this client speaks; sent with every call.</summary>
    public const int Version = 1;

    /// <summary>The migration that brings a remote to <see cref="Version"/>.</summary>
    public const string Migration = "supabase/migrations/20261125000000_agent_sync.sql";

    /// <summary>PostgREST cuts RPC results at max_rows (1000 on Supabase); pages never ask for more.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The largest artifact the remote accepts, in UTF-8 bytes.</summary>
    public const int MaxContentBytes = 1024 * 1024;

    /// <summary>Throws the one message every transport gives when the remote speaks another schema version.</summary>
    public static void Check(int remoteVersion, string describe)
    {
        if (remoteVersion == Version)
            return;
        throw remoteVersion > Version
            ? Errors.SyncException.Usage($"{describe} speaks schema {remoteVersion}, this agent speaks {Version}: upgrade agent to a release that supports schema {remoteVersion}")
            : Errors.SyncException.Usage($"{describe} speaks schema {remoteVersion}, this agent needs {Version}: apply {Migration} (supabase db push) and retry");
    }
}
