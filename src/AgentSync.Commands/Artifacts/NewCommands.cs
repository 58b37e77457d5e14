using System.CommandLine;
using AgentSync.Artifacts;
using AgentSync.Sync;

namespace AgentSync.Commands.Artifacts;

internal static class NewCommands
{
    public static Command Story(CommandContext context) => Scoped(context, "new-story", "Create a story (state DRAFT) with the next id of its scope", ArtifactKind.Story);

    public static Command Plan(CommandContext context) => Scoped(context, "new-plan", "Create a plan (state DRAFT) with the next id of its scope", ArtifactKind.Plan);

    public static Command Runbook(CommandContext context)
    {
        var story = new Argument<string>("story-id") { Description = "The story this runbook implements; the runbook takes its id" };
        var command = new Command("new-runbook", "Create the runbook of an existing story") { story };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            return Show(context, await NewArtifactSync.CreateAsync(sync, ArtifactKind.Runbook, parse.GetValue(story)!, null, null, cancellationToken));
        });
        return command;
    }

    private static Command Scoped(CommandContext context, string name, string description, ArtifactKind kind)
    {
        var scope = new Argument<string>("scope") { Description = "The scope, e.g. INFRA or WEB" };
        var title = new Argument<string>("title") { Description = "The title, quoted" };
        var command = new Command(name, description) { scope, title };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            return Show(context, await NewArtifactSync.CreateAsync(sync, kind, parse.GetValue(scope)!, parse.GetValue(title)!, null, cancellationToken));
        });
        return command;
    }

    /// <summary>The path on stdout (scripts take it from there); a queued push is a warning, the file exists either way.</summary>
    private static int Show(CommandContext context, SharedArtifact shared)
    {
        context.Out.WriteLine(shared.Created.Path);
        if (shared.QueuedBecause is not null)
            context.Error.WriteLine($"warning: the remote is unreachable ({shared.QueuedBecause}); {shared.Created.Id} was numbered locally and its push is queued for the next push or pull");
        return 0;
    }
}
