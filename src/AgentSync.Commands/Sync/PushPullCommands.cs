using System.CommandLine;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

/// <summary>push and pull: the same options, the same report, a different service.</summary>
internal static class PushPullCommands
{
    // A dry push never contacts the remote; a pull, dry or not, reads it.
    public static Command Push(CommandContext context) => Build(context, "push", "pushed",
        "Record edits in the working tree and send them to the remote; conflicts are merged or marked",
        (sync, ids, dryRun, cancellationToken) => new PushService(sync).RunAsync(ids, dryRun, cancellationToken), connectsWhenDry: false);

    public static Command Pull(CommandContext context) => Build(context, "pull", "pulled",
        "Send queued changes, then bring remote changes into the working tree (merging local edits)",
        (sync, ids, dryRun, cancellationToken) => new PullService(sync).RunAsync(ids, dryRun, cancellationToken), connectsWhenDry: true);

    private static Command Build(CommandContext context, string name, string verb, string description, Func<SyncContext, IReadOnlyCollection<string>?, bool, CancellationToken, Task<SyncReport>> run, bool connectsWhenDry)
    {
        var options = new SyncOptions();
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var ids = options.CheckedIds(parse);
            var report = await run(sync, ids is { Length: > 0 } ? ids : null, parse.GetValue(options.DryRun), cancellationToken);
            return await SyncReportView.ShowAsync(context, sync, report, verb, parse.GetValue(options.Json), parse.GetValue(options.NoInput), cancellationToken);
        }, parse => connectsWhenDry || !parse.GetValue(options.DryRun));
        return command;
    }
}
