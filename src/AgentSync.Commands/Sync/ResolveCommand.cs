using System.CommandLine;
using AgentSync.Artifacts;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class ResolveCommand
{
    public static Command Build(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The conflicted artifact" };
        var ours = new Option<bool>("--ours") { Description = "Keep the local version" };
        var theirs = new Option<bool>("--theirs") { Description = "Take the remote version" };
        var edit = new Option<bool>("--edit") { Description = "Open the file in $VISUAL, $EDITOR or git's core.editor first" };
        var kind = new Option<string?>("--kind") { Description = "The kind, when the id is conflicted in more than one" };
        var command = new Command("resolve", "End a conflict: with no flag the hand-edited file is taken (refused while markers remain)") { id, ours, theirs, edit, kind };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            if (new[] { parse.GetValue(ours), parse.GetValue(theirs), parse.GetValue(edit) }.Count(x => x) > 1)
                throw Errors.SyncException.Usage("use at most one of --ours, --theirs and --edit");
            var conflict = await ResolveService.FindConflictAsync(sync, parse.GetValue(id)!, parse.GetValue(kind) is { } k ? ArtifactKinds.Parse(k) : null, cancellationToken);
            if (parse.GetValue(edit))
                await Editor.OpenAsync(sync.Workspace, conflict.Path, cancellationToken);
            var resolution = parse.GetValue(ours) ? Resolution.Ours : parse.GetValue(theirs) ? Resolution.Theirs : Resolution.Manual;
            var resolved = await ResolveService.ResolveAsync(sync, conflict, resolution, cancellationToken);
            context.Out.WriteLine(resolved.Deleted
                ? resolution == Resolution.Theirs ? $"resolved {resolved.Id}: deleted, as on the remote" : $"resolved {resolved.Id}: deleted; the next push sends the deletion"
                : resolution == Resolution.Theirs ? $"resolved {resolved.Id}: took the remote version, {resolved.Path} matches it" : $"resolved {resolved.Id}: {resolved.Path}; the next push sends it");
            return 0;
        });
        return command;
    }
}
