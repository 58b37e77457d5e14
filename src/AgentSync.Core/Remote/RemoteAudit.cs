using System.Globalization;
using System.Text.Json;
using AgentSync.Artifacts;

namespace AgentSync.Remote;

/// <summary>One row of a project's remote audit chain; <see cref="Actor"/> is an e-mail or its erased pseudonym.</summary>
public sealed record RemoteAuditEntry(
    long Sequence,
    DateTimeOffset CreatedAt,
    string Actor,
    Guid ActorPseudonym,
    string Operation,
    string Outcome,
    string Details,
    string PreviousHash,
    string RowHash);

/// <summary>
/// The remote audit trail and the GDPR erase, beyond the sync contract of <see cref="IRemote"/>. Every transport keeps
/// an append-only, hash-chained log per project whose hashed text holds pseudonyms, never e-mail addresses, so that
/// erasing a person's identity leaves the chain verifiable.
/// </summary>
public interface IRemoteAudit
{
    Task<long> AppendAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken);

    /// <summary>Whether the caller acts with full rights, where the transport learns it when it appends (and the record
    /// it appended states it); null where it is known from connecting (<see cref="IRemote.ConnectAsync"/>).</summary>
    bool? ServiceRole => null;

    Task<IReadOnlyList<RemoteAuditEntry>> ListAuditAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>The hash the row must carry given its fields and predecessor, by this transport's canonical formula.</summary>
    string ComputeAuditHash(string project, RemoteAuditEntry entry);

    /// <summary>Replaces the person's identity in every row with a stable pseudonym and returns a receipt of counts.</summary>
    Task<JsonDocument> ForgetAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// An entry that nobody sees until <see cref="IPendingAuditEntry.CommitAsync"/>, and that disposing withdraws: the
    /// caller can send it while the local work it describes commits, and commit it only if that work did. Transports
    /// whose calls are transactions of their own (one HTTP request) append it at the commit instead.
    /// </summary>
    Task<IPendingAuditEntry> PrepareAuditAsync(string project, string operation, string outcome, string detailsJson, CancellationToken cancellationToken) =>
        Task.FromResult<IPendingAuditEntry>(new AppendOnCommit(this, project, operation, outcome, detailsJson));

    private sealed class AppendOnCommit(IRemoteAudit audit, string project, string operation, string outcome, string detailsJson) : IPendingAuditEntry
    {
        public Task<long> CommitAsync(CancellationToken cancellationToken) =>
            audit.AppendAuditAsync(project, operation, outcome, detailsJson, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>An audit entry sent and waiting for its commit (<see cref="IRemoteAudit.PrepareAuditAsync"/>).</summary>
public interface IPendingAuditEntry : IAsyncDisposable
{
    /// <summary>Makes the entry part of the chain; returns its sequence number.</summary>
    Task<long> CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Checks a chain as listed: each row links to the one before and carries the hash its fields give.</summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <returns>The first broken row and why, or null when the whole chain holds.</returns>
    public static (RemoteAuditEntry Entry, string Reason)? FirstBreak(IRemoteAudit remote, string project, IReadOnlyList<RemoteAuditEntry> entries)
    {
        var previous = Genesis;
        var expectedSequence = entries.Count > 0 ? entries[0].Sequence : 1;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expectedSequence)
                return (entry, $"row {expectedSequence} is missing before row {entry.Sequence}");
            if (entry.Sequence == 1 && entry.PreviousHash != Genesis)
                return (entry, "the first row does not start the chain");
            if (entry.Sequence > entries[0].Sequence && entry.PreviousHash != previous)
                return (entry, "it does not link to the row before it");
            if (remote.ComputeAuditHash(project, entry) != entry.RowHash)
                return (entry, "its content does not match its hash");
            previous = entry.RowHash;
            expectedSequence++;
        }

        return null;
    }

    /// <summary>The server's formula (agent_sync_private.audit_hash in the migration), recomputed on the client.</summary>
    public static string PostgresHash(string project, RemoteAuditEntry e) => ContentHash.Of(string.Join('|',
        e.PreviousHash, project, e.Sequence.ToString(CultureInfo.InvariantCulture),
        e.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        e.ActorPseudonym.ToString(), e.Operation, e.Outcome, e.Details));
}
