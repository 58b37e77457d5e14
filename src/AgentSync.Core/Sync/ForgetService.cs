using System.Text.Json;
using AgentSync.Errors;
using AgentSync.Remote;

namespace AgentSync.Sync;

public sealed record ForgetReceipt(string Email, JsonDocument? Remote, IReadOnlyDictionary<string, long> Local);

/// <summary>
/// <c>agent sync forget --author EMAIL</c>: the GDPR erase. The remote replaces the person's identity in every row with
/// a stable pseudonym (it needs the service role or the database owner); the local cache does the same for its authors,
/// history and audit actors. The audit chains stay verifiable because they hash pseudonyms, not e-mails.
/// </summary>
public static class ForgetService
{
    public static async Task<ForgetReceipt> RunAsync(SyncContext context, string email, Func<IRemote>? remoteFactory, CancellationToken cancellationToken)
    {
        email = email.Trim();
        if (!email.Contains('@', StringComparison.Ordinal) || email.Length < 3)
            throw SyncException.Usage($"'{email}' is not an e-mail address; use agent sync forget --author name@example.org");
        JsonDocument? remoteReceipt = null;
        string label = "erased-local";
        if (context.Config.Remote is { } url)
        {
            await using var remote = remoteFactory?.Invoke() ?? RemoteFactory.Create(context, url);
            await remote.ConnectAsync(cancellationToken);
            if (remote is not IRemoteAudit audit)
                throw SyncException.Usage($"{remote.Describe} cannot erase identities; erase them there by hand");
            remoteReceipt = await audit.ForgetAsync(email, cancellationToken);
            if (remoteReceipt.RootElement.TryGetProperty("erased_as", out var erased) && erased.GetString() is { } l)
                label = l;
            // The erase itself is audited, with its receipt and without the address it erased.
            if (Diagnostics.Operation.Current is { } operation)
            {
                foreach (var property in remoteReceipt.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
                    operation.Counts["erased." + property.Name] = property.Value.GetInt64();
                operation.Remote = remote.Describe;
                await Diagnostics.AuditTrail.RecordRemoteAsync(remote, context, operation, "ok", cancellationToken);
            }
        }

        var local = await context.Store.ForgetAsync(email, label, cancellationToken);
        return new ForgetReceipt(email, remoteReceipt, local);
    }
}
