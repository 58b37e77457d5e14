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
        var offline = new Option<bool>("--offline") { Description = "Do not contact the remote; local state only" };
        var command = new Command("status", "Show artifacts by kind and state, local and remote changes, conflicts, queued changes and state differences") { json, offline };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var local = await LocalStatus.ComputeAsync(sync, cancellationToken);
            var remote = parse.GetValue(offline) && sync.Config.Remote is not null
                ? new RemoteStatus(RemoteReachability.Unreachable, [], "not contacted (--offline)", false)
                : await RemoteStatus.ComputeAsync(sync, null, cancellationToken);
            var outbox = await sync.Store.OutboxAsync(cancellationToken);
            var queued = outbox.Count(e => !e.Rejected);
            var all = await sync.Store.ListAsync(null, null, cancellationToken);
            var stateDifferences = all.Where(a => a.RemoteState is not null && a.RemoteState != a.State).ToList();
            var changes = local.FileChanges.Select(c => new ChangeJson(c.Id, c.Kind.Name(), Render.Change(c.Change), c.Path))
                .Concat(local.Unpushed.Where(u => !local.FileChanges.Any(c => c.Id == u.Id && c.Kind == u.Kind)).Select(u => new ChangeJson(u.Id, u.Kind.Name(), "unpushed", u.Path)))
                .ToList();
            var reachability = remote.Reachability switch
            {
                RemoteReachability.None => "none",
                RemoteReachability.Reachable => "reachable",
                _ => "unreachable",
            };
            if (parse.GetValue(json))
            {
                Render.Json(context, new StatusJson(
                    local.Artifacts,
                    changes,
                    [.. remote.Incoming.Select(c => new RemoteChangeJson(c.Id, c.Kind.Name(), c.Version, c.Author, c.Deleted))],
                    [.. local.Conflicts.Select(c => new ArtifactRefJson(c.Id, c.Kind.Name()))],
                    queued,
                    reachability,
                    [.. local.ByKindAndState.Select(c => new CountJson(c.Kind.Name(), c.State, c.Count))],
                    [.. outbox.Where(e => e.Rejected).Select(e => new RejectedJson(e.Id, e.Kind.Name(), e.LastError ?? "refused"))],
                    [.. stateDifferences.Select(a => new StateDifferenceJson(a.Id, a.Kind.Name(), a.State, a.RemoteState))],
                    Render.ErrorsJson(local.Errors),
                    remote.ServiceRole), OutputJsonContext.Default.StatusJson);
                return 0;
            }

            context.Out.WriteLine($"{local.Artifacts} artifacts");
            foreach (var group in local.ByKindAndState.GroupBy(c => c.Kind))
                context.Out.WriteLine($"  {group.Key.Name(),-8} {string.Join(", ", group.Select(c => $"{c.State ?? "(no state)"} {c.Count}"))}");
            context.Out.WriteLine(remote.Reachability switch
            {
                RemoteReachability.None => "remote: none configured (agent sync init --remote URL)",
                RemoteReachability.Reachable => $"remote: {sync.Config.Remote} (project {sync.Config.Project}){(remote.ServiceRole ? ", using the service role" : "")}",
                _ => $"remote: unreachable ({remote.Reason}); showing the local cache",
            });
            context.Out.WriteLine(changes.Count == 0 ? "no local changes" : $"local changes ({changes.Count}):");
            foreach (var change in changes)
                context.Out.WriteLine($"  {change.Change,-9} {change.Id,-12} {change.Path}");
            if (remote.Incoming.Count > 0)
                context.Out.WriteLine($"remote changes not yet pulled ({remote.Incoming.Count}): {string.Join(", ", remote.Incoming.Select(c => $"{c.Id} v{c.Version}").Distinct().Take(20))}{(remote.Incoming.Count > 20 ? ", ..." : "")}");
            foreach (var conflict in local.Conflicts)
                context.Out.WriteLine($"  CONFLICT  {conflict.Id,-12} {conflict.Path} (edit it, then 'agent sync resolve {conflict.Id}')");
            if (queued > 0)
                context.Out.WriteLine($"{queued} changes queued for the remote");
            foreach (var rejected in outbox.Where(e => e.Rejected))
                context.Out.WriteLine($"  refused by the remote: {rejected.Id} ({rejected.Kind.Name()}): {rejected.LastError}");
            foreach (var a in stateDifferences)
                context.Out.WriteLine($"  state     {a.Id,-12} local {a.State ?? "-"}, remote {a.RemoteState} (Git governs state)");
            foreach (var error in local.Errors)
                context.Out.WriteLine($"  refused   {error.Message}");
            return 0;
        });
        return command;
    }
}
