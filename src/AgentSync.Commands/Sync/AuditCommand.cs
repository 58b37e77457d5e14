using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class AuditCommand
{
    public static Command Build(CommandContext context)
    {
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only records from this time on (e.g. 2026-11-01 or 2026-11-01T12:00Z)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var verify = new Option<bool>("--verify") { Description = "Check the remote's hash chain and report the first broken link (exit 2 when broken)" };
        var command = new Command("audit", "List the audit trail: local records and the remote's append-only, hash-chained log") { since, json, verify };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var report = await AuditService.ComputeAsync(sync, parse.GetValue(since), parse.GetValue(verify), null, cancellationToken);
            var broken = report.Break;
            if (parse.GetValue(json))
            {
                var local = new JsonArray([.. report.Local.Select(a => (JsonNode)new JsonObject
                {
                    ["seq"] = a.Sequence, ["at"] = a.At, ["actor"] = a.Actor, ["operation"] = a.Operation, ["outcome"] = a.Outcome,
                    ["details"] = JsonNode.Parse(a.Details),
                })]);
                var remote = report.Remote is null ? null : new JsonArray([.. report.Remote.Select(e => (JsonNode)new JsonObject
                {
                    ["seq"] = e.Sequence, ["at"] = e.CreatedAt, ["actor"] = e.Actor, ["operation"] = e.Operation, ["outcome"] = e.Outcome,
                    ["details"] = JsonNode.Parse(e.Details), ["prev_hash"] = e.PreviousHash, ["row_hash"] = e.RowHash,
                })]);
                var document = new JsonObject { ["local"] = local, ["remote"] = remote, ["remote_problem"] = report.RemoteProblem };
                if (report.Verified)
                    document["verified"] = broken is null ? true : new JsonObject { ["broken_at"] = broken.Value.Entry.Sequence, ["reason"] = broken.Value.Reason };
                context.Out.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                context.Out.WriteLine($"local ({report.Local.Count}):");
                foreach (var a in report.Local)
                    context.Out.WriteLine($"  {a.Sequence,5} {Time(a.At)} {a.Actor,-28} {a.Operation,-11} {a.Outcome}");
                if (report.Remote is not null)
                {
                    context.Out.WriteLine($"remote ({report.Remote.Count}, project {sync.Config.Project}):");
                    foreach (var e in report.Remote)
                        context.Out.WriteLine($"  {e.Sequence,5} {Time(e.CreatedAt)} {e.Actor,-28} {e.Operation,-11} {e.Outcome}  {e.RowHash[..12]}");
                }

                if (report.RemoteProblem is not null)
                    context.Out.WriteLine($"remote: {report.RemoteProblem}");
                if (report.Verified)
                    context.Out.WriteLine(broken is null ? "chain verified: every row links to the one before and matches its hash" : $"chain BROKEN at row {broken.Value.Entry.Sequence}: {broken.Value.Reason}");
            }

            return broken is not null || (parse.GetValue(verify) && !report.Verified) ? Errors.ExitCodes.Usage : 0;
        });
        return command;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
