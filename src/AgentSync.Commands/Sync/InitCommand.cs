using System.CommandLine;
using AgentSync.Commands.Output;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class InitCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("init", "Create .agent/etc/sync.yaml and the local cache, keep the cache out of Git, and import every artifact");
        command.SetAction(context, async (parse, cancellationToken) =>
        {
            var result = await InitService.RunAsync(context.WorkingDirectory, cancellationToken);
            var import = result.Import;
            context.Out.WriteLine(result.CreatedDatabase ? $"Initialized agent-sync in {result.Root}" : $"agent-sync already initialized in {result.Root}");
            if (result.CreatedConfig)
                context.Out.WriteLine("  wrote .agent/etc/sync.yaml (commented; credentials stay in the environment)");
            context.Out.WriteLine($"  imported {import.Changes.Count(c => c.Change != ChangeType.Deleted)} artifacts, {import.Unchanged} unchanged");
            return Render.Errors(context, import.Errors);
        });
        return command;
    }
}
