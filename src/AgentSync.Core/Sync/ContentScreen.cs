using AgentSync.Config;
using AgentSync.Scrubbing;
using AgentSync.Store;
using AgentSync.Workspace;

namespace AgentSync.Sync;

/// <summary>
/// Checks what is about to leave the machine. Secrets block the artifact (file:line and kind); personal data follows
/// the policy of sync.yaml: block, or redact (the local file is rewritten first, so local and remote agree). Blocked
/// artifacts are reported and stay local; the others still go.
/// </summary>
/// <param name="prescan">Findings already computed for texts read from the working tree (see <see cref="ContentPrescan"/>).</param>
internal sealed class ContentScreen(SyncContext context, ContentPrescan? prescan = null)
{
    private readonly ContentScanner _scanner = Scanner(context.Config);

    /// <summary>The scanner for the PII policy of <paramref name="config"/>.</summary>
    public static ContentScanner Scanner(SyncConfig config) => new(new PiiPolicy(
        config.PiiPolicy == "redact" ? PiiMode.Redact : PiiMode.Block, config.PiiAllowDomains, config.PiiAllowKinds));

    /// <summary>The artifacts that may go, after redaction where the policy asks for it.</summary>
    public async Task<List<StoredArtifact>> ScreenAsync(IReadOnlyList<StoredArtifact> candidates, SyncReport report, CancellationToken cancellationToken)
    {
        using var span = Diagnostics.Telemetry.Source.StartActivity("push.screen")?.SetTag("agent_sync.changes", candidates.Count);
        var cleared = new List<StoredArtifact>(candidates.Count);
        var contents = new string?[candidates.Count];
        var scanned = new IReadOnlyList<Finding>?[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Deleted)
                scanned[i] = [];
            else if (prescan is not null && await prescan.FindingsAsync(candidates[i].ContentHash) is { } findings)
                scanned[i] = findings;
            else
                contents[i] = await context.Store.GetBlobAsync(candidates[i].ContentHash, cancellationToken) ?? "";
        }

        // The scan is pure CPU over each text (a first push of 1,000 artifacts: ~50 ms on one core): use them all.
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            scanned[i] ??= _scanner.Scan(contents[i] ?? ""));

        for (var i = 0; i < candidates.Count; i++)
        {
            var artifact = candidates[i];
            if (artifact.Deleted)
            {
                cleared.Add(artifact);
                continue;
            }

            var findings = scanned[i]!;
            if (findings.Count == 0)
            {
                cleared.Add(artifact);
                continue;
            }

            // Texts scanned ahead were not read back from the cache: only one with findings needs its text here.
            var content = contents[i] ?? await context.Store.GetBlobAsync(artifact.ContentHash, cancellationToken) ?? "";

            var secrets = findings.Where(f => f.Category == FindingCategory.Secret).ToList();
            var pii = findings.Where(f => f.Category == FindingCategory.Pii).ToList();
            foreach (var secret in secrets)
                Report(report, artifact.Path, $"{artifact.Path}:{secret.Line}: secret ({secret.Kind}) {secret.Preview}; remove it (keep secrets in the environment or a secret store) and push again");
            if (secrets.Count > 0)
                continue;

            if (context.Config.PiiPolicy != "redact")
            {
                foreach (var finding in pii)
                    Report(report, artifact.Path, $"{artifact.Path}:{finding.Line}: personal data ({finding.Kind}) {finding.Preview}; remove it, set pii.policy: redact, or allow it in pii.allow_domains / pii.allow_kinds of .agent/etc/sync.yaml");
                continue;
            }

            // Redact in the working tree first and record that, so what is pushed is exactly what the file holds.
            var redacted = ContentScanner.Redact(content, pii);
            await AtomicFile.WriteTextAsync(context.Workspace.FullPath(artifact.Path), redacted, cancellationToken);
            await new TreeRecorder(context).RecordAsync([artifact.Path], "redact", cancellationToken);
            if (await context.Store.GetAsync(artifact.Id, artifact.Kind, cancellationToken) is { } updated)
                cleared.Add(updated);
        }

        return cleared;
    }

    /// <summary>Push screens again after each round of merges; say each finding once.</summary>
    private static void Report(SyncReport report, string path, string message)
    {
        if (!report.Errors.Any(e => e.Message == message))
            report.Errors.Add(new InputError(path, message));
    }
}
