using System.CommandLine;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class PullCommand
{
    public static Command Build(CommandContext context)
    {
        var options = new SyncOptions();
        var command = new Command("pull", "Send queued changes, then bring remote changes into the working tree (merging local edits)");
        options.AddTo(command);
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var ids = options.CheckedIds(parse);
            var report = await new PullService(sync).RunAsync(ids is { Length: > 0 } ? ids : null, parse.GetValue(options.DryRun), cancellationToken);
            return await SyncReportView.ShowAsync(context, sync, report, "pulled", parse.GetValue(options.Json), parse.GetValue(options.NoInput), cancellationToken);
        });
        return command;
    }
}
