using System.CommandLine;
using AgentSync.Diagnostics;

namespace AgentSync.Commands.Sync;

internal static class MetricsCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("metrics", "Print sync metrics (durations, artifacts pushed and pulled, conflicts, errors, queue length) in Prometheus text format");
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var audit = await sync.Store.AuditAsync(null, cancellationToken);
            var queued = (await sync.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
            context.Out.Write(PrometheusReport.Render(audit, queued));
            return 0;
        });
        return command;
    }
}
