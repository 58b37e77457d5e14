using System.CommandLine;
using AgentSync.Artifacts;
using AgentSync.Commands.Output;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class StatusCommand
{
    public static Command Build(CommandContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("status", "Show artifacts by kind and state, changed files, conflicts and queued changes") { json };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var status = await LocalStatus.ComputeAsync(sync, cancellationToken);
            var queued = (await sync.Store.OutboxAsync(cancellationToken)).Count(e => !e.Rejected);
            if (parse.GetValue(json))
            {
                Render.Json(context, new StatusJson(
                    status.Artifacts,
                    [.. status.FileChanges.Select(c => new ChangeJson(c.Id, c.Kind.Name(), Render.Change(c.Change), c.Path))],
                    [],
                    [.. status.Conflicts.Select(c => new ArtifactRefJson(c.Id, c.Kind.Name()))],
                    queued,
                    sync.Config.Remote is null ? "none" : "unknown",
                    [.. status.ByKindAndState.Select(c => new CountJson(c.Kind.Name(), c.State, c.Count))],
                    [],
                    [],
                    Render.ErrorsJson(status.Errors),
                    false), OutputJsonContext.Default.StatusJson);
                return 0;
            }

            context.Out.WriteLine($"{status.Artifacts} artifacts");
            foreach (var group in status.ByKindAndState.GroupBy(c => c.Kind))
                context.Out.WriteLine($"  {group.Key.Name(),-8} {string.Join(", ", group.Select(c => $"{c.State ?? "(no state)"} {c.Count}"))}");
            if (status.FileChanges.Count == 0)
                context.Out.WriteLine("working tree matches the cache");
            else
                context.Out.WriteLine($"changed since recorded ({status.FileChanges.Count}):");
            foreach (var change in status.FileChanges)
                context.Out.WriteLine($"  {Render.Change(change.Change),-9} {change.Id,-12} {change.Path}");
            foreach (var conflict in status.Conflicts)
                context.Out.WriteLine($"  conflict  {conflict.Id,-12} {conflict.Path} (edit it, then 'agent sync resolve {conflict.Id}')");
            if (queued > 0)
                context.Out.WriteLine($"{queued} changes queued for the remote");
            foreach (var error in status.Errors)
                context.Out.WriteLine($"  refused   {error.Message}");
            return 0;
        });
        return command;
    }
}
