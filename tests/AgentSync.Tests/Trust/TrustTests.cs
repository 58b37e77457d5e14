using System.Diagnostics;
using System.Text.Json;
using AgentSync.Tests.Support;
using AgentSync.Tests.Sync;
using Microsoft.Data.Sqlite;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AgentSync.Tests.Trust;

/// <summary>Audit trail, logs, metrics, tracing, scanning and erase, as an auditor or on-call engineer would check them.</summary>
public sealed class TrustTests(FileRemoteTarget remote) : IClassFixture<FileRemoteTarget>
{
    private const string Story = ".agent/cache/stories/INFRA/INFRA-001-trust.md";

    private static string NewProject() => "trust-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(Developer Alice, Developer Bob)> PairAsync()
    {
        var project = NewProject();
        var alice = new Developer("alice", remote, project);
        var bob = new Developer("bob", remote, project);
        alice.Workspace.Write(Story, "# INFRA-001: Trust\n\n## State\n\nDRAFT\n\n## Problem Statement\n\nNone yet.\n");
        await alice.InitAsync();
        await alice.ExpectAsync(0, "sync", "push");
        await bob.InitAsync();
        return (alice, bob);
    }

    [Fact]
    public async Task Every_operation_is_audited_locally_and_remotely_and_the_chain_verifies()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        alice.Workspace.Write(Story, alice.Workspace.Read(Story).Replace("None yet.", "Audited.", StringComparison.Ordinal));
        await alice.ExpectAsync(0, "sync", "push");
        await bob.ExpectAsync(0, "sync", "pull");

        var audit = JsonDocument.Parse((await bob.ExpectAsync(0, "sync", "audit", "--json", "--verify")).Out).RootElement;

        var local = audit.GetProperty("local").EnumerateArray().Select(e => e.GetProperty("operation").GetString()).ToList();
        Assert.Equal(["init", "pull"], local);
        var remoteRows = audit.GetProperty("remote").EnumerateArray().ToList();
        // Alice's init (an empty pull), her push, Bob's init (his first pull), her second push, his pull.
        Assert.Equal(["init", "push", "init", "push", "pull"], remoteRows.Select(r => r.GetProperty("operation").GetString()));
        Assert.True(audit.GetProperty("verified").GetBoolean());
        var pushed = remoteRows[3].GetProperty("details");
        Assert.Equal("INFRA-001", pushed.GetProperty("artifacts")[0].GetProperty("id").GetString());
        Assert.Equal(2, pushed.GetProperty("artifacts")[0].GetProperty("version").GetInt32());
        Assert.StartsWith("pseudonym:", pushed.GetProperty("actor").GetString(), StringComparison.Ordinal);
        // The file's owner acts with full rights, like the service role; the record says so.
        Assert.True(pushed.GetProperty("service_role").GetBoolean());
    }

    [Fact]
    public async Task A_tampered_remote_audit_row_is_reported_as_the_first_broken_link()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        await bob.ExpectAsync(0, "sync", "pull");
        using (var connection = new SqliteConnection($"Data Source={remote.Path};Pooling=False"))
        {
            connection.Open();
            using var tamper = connection.CreateCommand();
            // An attacker with the file lifts the trigger, edits a row, and puts the trigger back.
            tamper.CommandText = $"""
                DROP TRIGGER audit_log_append_only_update;
                UPDATE audit_log SET outcome = 'conflicts' WHERE seq = (SELECT seq FROM audit_log WHERE project = '{alice.Project}' ORDER BY seq LIMIT 1 OFFSET 1);
                CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                """;
            tamper.ExecuteNonQuery();
        }

        var result = await bob.ExpectAsync(2, "sync", "audit", "--verify");

        Assert.Contains("chain BROKEN at row 2: its content does not match its hash", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_erases_the_address_from_every_row_and_the_chain_still_verifies()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        await bob.ExpectAsync(0, "sync", "pull");

        var receipt = await bob.ExpectAsync(0, "sync", "forget", "--author", "alice@example.com", "--yes");
        var verify = await bob.ExpectAsync(0, "sync", "audit", "--verify");

        Assert.Contains("erased alice@example.com", receipt.Out, StringComparison.Ordinal);
        Assert.Contains("chain verified", verify.Out, StringComparison.Ordinal);
        Assert.Empty(Snapshot.FindText(remote.Path, "alice@example.com"));
        Assert.Empty(Snapshot.FindText(bob.Workspace.PathOf(".agent/cache/agent.db"), "alice@example.com"));
    }

    [Fact]
    public async Task Secrets_block_their_artifact_with_file_line_and_kind_and_the_others_still_go()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        var key = "AKIA" + "IOSFODNN7" + "REALKEY";
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-002-leaky.md", $"# INFRA-002: Leaky\n\n## Notes\n\naws_access_key_id = {key}\n");
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-003-clean.md", "# INFRA-003: Clean\n\nNothing to hide.\n");

        var push = await alice.ExpectAsync(2, "sync", "push", "--json");

        Assert.Contains("error: .agent/cache/stories/INFRA/INFRA-002-leaky.md:5: secret (aws-access-key)", push.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, push.Error, StringComparison.Ordinal);
        Assert.Equal(["INFRA-003"], JsonDocument.Parse(push.Out).RootElement.GetProperty("pushed").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Empty(Snapshot.FindText(remote.Path, key));
    }

    [Fact]
    public async Task Personal_data_is_blocked_by_default_redacted_on_request_and_allowed_for_the_teams_domain()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        const string pii = ".agent/cache/stories/INFRA/INFRA-004-contact.md";
        alice.Workspace.Write(pii, "# INFRA-004: Contact\n\nAsk jane.doe@acme.io or call +44 20 7946 0958. Docs: ops@example.com.\n");

        var blocked = await alice.ExpectAsync(2, "sync", "push");
        Assert.Contains($"{pii}:3: personal data (email)", blocked.Error, StringComparison.Ordinal);

        var config = alice.Workspace.Read(".agent/etc/sync.yaml");
        alice.Workspace.Write(".agent/etc/sync.yaml", config.Replace("  policy: block", "  policy: redact", StringComparison.Ordinal));
        await alice.ExpectAsync(0, "sync", "push");
        await bob.ExpectAsync(0, "sync", "pull");

        var redacted = "# INFRA-004: Contact\n\nAsk [REDACTED:EMAIL] or call [REDACTED:PHONE]. Docs: ops@example.com.\n";
        Assert.Equal(redacted, alice.Workspace.Read(pii));
        Assert.Equal(redacted, bob.Workspace.Read(pii));

        bob.Workspace.Write(".agent/etc/sync.yaml", bob.Workspace.Read(".agent/etc/sync.yaml").Replace("allow_domains: []", "allow_domains: [acme.io]", StringComparison.Ordinal));
        bob.Workspace.Write(pii, redacted + "Owner: bob@acme.io\n");
        await bob.ExpectAsync(0, "sync", "push");
    }

    [Fact]
    public async Task Logs_are_json_lines_with_the_operation_and_never_hold_a_key_token_or_password()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        const string token = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2VjcmV0LXNpZ25hdHVyZS1kby1ub3QtbGVhaw";
        const string password = "hunter2-Secret-Pass";
        var hostile = new Dictionary<string, string?>
        {
            ["SUPABASE_SERVICE_ROLE_KEY"] = token,
            ["PGPASSWORD"] = password,
            ["AGENT_SYNC_REMOTE"] = "http://127.0.0.1:1",
        };
        alice.Workspace.Write(Story, alice.Workspace.Read(Story) + "\nmore\n");

        var offline = await alice.RunWithAsync(hostile, "sync", "push", "--verbose");
        var badUrl = await alice.RunWithAsync(new Dictionary<string, string?> { ["AGENT_SYNC_REMOTE"] = $"postgresql://agent:{password}@127.0.0.1:1/db" }, "sync", "push", "--verbose");
        var traced = await alice.RunWithAsync(hostile, "sync", "status", "--trace");

        Assert.Equal(75, offline.ExitCode);
        Assert.Equal(2, badUrl.ExitCode);
        var logs = string.Concat(Directory.EnumerateFiles(alice.Workspace.PathOf(".agent/logs")).Select(File.ReadAllText));
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement;
            Assert.True(entry.TryGetProperty("@t", out var at), line);
            Assert.True(entry.TryGetProperty("operation", out var op), line);
            Assert.True(entry.TryGetProperty("duration_ms", out var ms), line);
        }

        Assert.Contains(lines, l => l.Contains("\"operation\":\"push\"", StringComparison.Ordinal) && l.Contains("alice@example.com", StringComparison.Ordinal));
        foreach (var text in new[] { logs, offline.Out, offline.Error, badUrl.Out, badUrl.Error, traced.Out, traced.Error, Snapshot.Database(alice.Workspace.PathOf(".agent/cache/agent.db")) })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("c2VjcmV0LXNpZ25hdHVyZS1kby1ub3QtbGVhaw", text, StringComparison.Ordinal);
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_are_printed_in_prometheus_text_from_the_local_record()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        alice.Workspace.Write(".agent/cache/stories/INFRA/INFRA-005-more.md", "# INFRA-005: More\n");
        await alice.ExpectAsync(0, "sync", "push");

        var metrics = (await alice.ExpectAsync(0, "sync", "metrics")).Out;

        Assert.Contains("# TYPE agent_sync_operation_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("agent_sync_operation_duration_seconds_count{operation=\"push\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("agent_sync_artifacts_pushed_total 2", metrics, StringComparison.Ordinal);
        Assert.Contains("agent_sync_queue_length 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_has_one_span_per_command_with_children_per_batch_and_per_remote_call()
    {
        var (alice, bob) = await PairAsync();
        using var _ = alice;
        using var __ = bob;
        alice.Workspace.Write(Story, alice.Workspace.Read(Story) + "\ntraced\n");
        var recorded = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder().AddSource("AgentSync").AddInMemoryExporter(recorded).Build())
        {
            var result = await AgentCli.RunInProcessAsync(alice.Workspace.Root, null, "sync", "push");
            Assert.Equal(0, result.ExitCode);
        }

        // The listener sees every in-process command of the test run, other classes' included: keep this push's trace,
        // the one whose remote call went to this class's remote.
        var trace = Assert.Single(recorded, s => s.DisplayName == "remote.push" && ((s.GetTagItem("agent_sync.remote") as string)?.Contains(remote.Path, StringComparison.Ordinal) ?? false)).TraceId;
        var spans = recorded.Where(s => s.TraceId == trace).ToList();

        var root = Assert.Single(spans, s => s.DisplayName == "agent push");
        Assert.Null(root.Parent);
        Assert.Equal(0, root.GetTagItem("agent_sync.exit_code"));
        Assert.Equal(1, root.GetTagItem("agent_sync.pushed"));
        var batch = Assert.Single(spans, s => s.DisplayName == "push.batch");
        Assert.Equal(root.SpanId, batch.ParentSpanId);
        Assert.Equal(1, batch.GetTagItem("agent_sync.accepted"));
        var call = Assert.Single(spans, s => s.DisplayName == "remote.push");
        Assert.Equal(batch.SpanId, call.ParentSpanId);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Contains(spans, s => s.DisplayName == "remote.connect" && s.ParentSpanId == root.SpanId);
        Assert.Contains(spans, s => s.DisplayName == "remote.audit_append" && s.ParentSpanId == root.SpanId);
        // The client's own phases, each under the command: the tree compared and recorded, the change queued and its
        // batch prepared once; candidates and screen once before sending and once more after (for clean merges).
        foreach (var phase in new[] { "tree.compare", "tree.record", "push.queue", "push.prepare" })
            Assert.Equal(root.SpanId, Assert.Single(spans, s => s.DisplayName == phase).ParentSpanId);
        Assert.Equal(1, Assert.Single(spans, s => s.DisplayName == "tree.compare").GetTagItem("agent_sync.changes"));
        Assert.Equal(2, spans.Count(s => s.DisplayName == "push.candidates" && s.ParentSpanId == root.SpanId));
        Assert.Equal(2, spans.Count(s => s.DisplayName == "push.screen" && s.ParentSpanId == root.SpanId));
        Assert.Equal(13, spans.Count(s => s.Source.Name == "AgentSync"));
    }
}
