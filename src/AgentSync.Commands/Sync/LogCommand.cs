using System.CommandLine;
using System.Globalization;
using AgentSync.Artifacts;
using AgentSync.Commands.Output;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class LogCommand
{
    public static Command Build(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The artifact" };
        var kind = new Option<string?>("--kind") { Description = "The kind, when the id exists in more than one" };
        var json = new Option<bool>("--json") { Description = "Print one JSON array" };
        var command = new Command("log", "Versions of one artifact with author, time and description") { id, kind, json };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var (entries, unreachable) = await LogService.ComputeAsync(sync, parse.GetValue(id)!, parse.GetValue(kind) is { } k ? ArtifactKinds.Parse(k) : null, null, cancellationToken);
            if (unreachable is not null)
                context.Error.WriteLine($"warning: the remote is unreachable ({unreachable}); showing local history only");
            if (parse.GetValue(json))
            {
                IReadOnlyList<LogEntryJson> items = [.. entries.Select(e => new LogEntryJson(e.Version, e.Author, e.At, e.Description, e.Deleted, e.ContentHash, e.Source))];
                Render.Json(context, items, OutputJsonContext.Default.IReadOnlyListLogEntryJson);
                return 0;
            }

            foreach (var e in entries)
            {
                var version = e.Source == "remote" ? $"v{e.Version}" : "local";
                context.Out.WriteLine($"{version,-6} {e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}  {e.Author,-28} {(e.Deleted ? "deleted" : e.Description)}");
            }

            return 0;
        });
        return command;
    }
}
