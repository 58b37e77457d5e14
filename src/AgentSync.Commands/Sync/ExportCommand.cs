using System.CommandLine;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class ExportCommand
{
    public static Command Build(CommandContext context)
    {
        var dir = new Option<string?>("--dir") { Description = "Write under this folder instead of the workspace (same relative paths)" };
        var command = new Command("export", "Write every artifact from the cache back to files, byte for byte") { dir };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var target = parse.GetValue(dir) is { } d ? Path.GetFullPath(d, context.WorkingDirectory) : null;
            var result = await ExportService.RunAsync(sync, target, cancellationToken);
            context.Out.WriteLine($"exported to {result.Directory}: {result.Written} written, {result.Unchanged} already up to date");
            return 0;
        });
        return command;
    }
}
