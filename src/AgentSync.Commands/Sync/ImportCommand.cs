using System.CommandLine;
using AgentSync.Artifacts;
using AgentSync.Commands.Output;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class ImportCommand
{
    public static Command Build(CommandContext context)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "Files to import, space- or comma-separated; none = the whole working tree; - = one artifact's text on stdin" };
        var kind = new Option<string>("--kind") { Description = "Kind of the artifact read from stdin (story, plan, runbook, adr, journey)", DefaultValueFactory = _ => "story" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("import", "Record artifacts from the working tree (or stdin) in the local cache") { paths, kind, json };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var given = (parse.GetValue(paths) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            TreeDiff diff;
            if (given is ["-"])
            {
                var text = await context.In.ReadToEndAsync(cancellationToken);
                (var path, diff) = await ImportService.ImportTextAsync(sync, text, ArtifactKinds.Parse(parse.GetValue(kind)!), cancellationToken);
                if (!parse.GetValue(json))
                    context.Out.WriteLine(path);
            }
            else
            {
                if (given.Contains("-"))
                    throw Errors.SyncException.Usage("'-' (stdin) cannot be combined with paths; import stdin on its own");
                diff = await ImportService.ImportPathsAsync(sync, given.Select(p => Path.GetFullPath(p, context.WorkingDirectory)).ToList() is { Count: > 0 } list ? list : null, cancellationToken);
                if (!parse.GetValue(json))
                {
                    foreach (var change in diff.Changes)
                        context.Out.WriteLine($"{Render.Change(change.Change),-9} {change.File.Id,-12} {change.File.Path}");
                    context.Out.WriteLine($"{diff.Changes.Count} changed, {diff.Unchanged} unchanged, {diff.Errors.Count} refused");
                }
            }

            if (parse.GetValue(json))
            {
                Render.Json(context, new ImportJson(
                    [.. diff.Changes.Select(c => new ChangeJson(c.File.Id, c.File.Kind.Name(), Render.Change(c.Change), c.File.Path))],
                    diff.Unchanged,
                    Render.ErrorsJson(diff.Errors)), OutputJsonContext.Default.ImportJson);
            }

            return Render.Errors(context, diff.Errors);
        });
        return command;
    }
}
