using System.CommandLine;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class PushCommand
{
    public static Command Build(CommandContext context)
    {
        var options = new SyncOptions();
        var command = new Command("push", "Record edits in the working tree and send them to the remote; conflicts are merged or marked");
        options.AddTo(command);
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var ids = options.CheckedIds(parse);
            var report = await new PushService(sync).RunAsync(ids is { Length: > 0 } ? ids : null, parse.GetValue(options.DryRun), cancellationToken);
            return await SyncReportView.ShowAsync(context, sync, report, "pushed", parse.GetValue(options.Json), parse.GetValue(options.NoInput), cancellationToken);
        });
        return command;
    }
}
