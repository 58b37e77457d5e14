using System.CommandLine;
using AgentSync.Commands.Output;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class InitCommand
{
    public static Command Build(CommandContext context)
    {
        var remote = new Option<string?>("--remote") { Description = "The team's remote: file:PATH, postgresql://user@host:port/db or https://<ref>.supabase.co (no credentials)" };
        var project = new Option<string?>("--project") { Description = "The project on the remote (created when missing and the credentials allow it)" };
        var command = new Command("init", "Create .agent/etc/sync.yaml and the local cache, keep the cache out of Git, import every artifact, and with --remote connect and pull") { remote, project };
        command.SetAction(context, async (parse, cancellationToken) =>
        {
            var result = await InitService.RunAsync(context.WorkingDirectory, cancellationToken, parse.GetValue(remote), parse.GetValue(project));
            var import = result.Import;
            context.Out.WriteLine(result.CreatedDatabase ? $"Initialized agent-sync in {result.Root}" : $"agent-sync already initialized in {result.Root}");
            if (result.CreatedConfig)
                context.Out.WriteLine("  wrote .agent/etc/sync.yaml (commented; credentials stay in the environment)");
            context.Out.WriteLine($"  imported {import.Changes.Count(c => c.Change != ChangeType.Deleted)} artifacts, {import.Unchanged} unchanged");
            var code = Render.Errors(context, import.Errors);
            if (result.Remote is { } connected)
            {
                context.Out.WriteLine($"  remote {connected.Url}, project {connected.Project}{(connected.CreatedProject ? " (created)" : "")}");
                if (connected.Pull is { } pull)
                {
                    context.Out.WriteLine($"  pulled {pull.Pulled.Count}, merged {pull.Merged.Count}, conflicts {pull.Conflicts.Count}");
                    foreach (var conflict in pull.Conflicts)
                        context.Out.WriteLine($"  CONFLICT {conflict.Id} {conflict.Path}: edit it, then 'agent sync resolve {conflict.Id}'");
                    if (pull.Unreachable is not null)
                        context.Error.WriteLine($"error: the remote is unreachable ({pull.Unreachable}); run 'agent sync pull' when it is back");
                    code = pull.ExitCode != 0 ? pull.ExitCode : code;
                }
            }

            return code;
        });
        return command;
    }
}
