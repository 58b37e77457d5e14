using System.CommandLine;
using AgentSync.Commands.Output;
using AgentSync.Remote;
using AgentSync.Store;
using AgentSync.Sync;
using AgentSync.Workspace;

namespace AgentSync.Commands.Sync;

internal static class MigrateCommand
{
    public static Command Build(CommandContext context)
    {
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what would be migrated; change nothing" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("migrate", "Bring the local cache and a Postgres remote without the agent-sync schema to the versions this agent speaks") { dryRun, json };
        command.SetAction(context, async (parse, cancellationToken) =>
        {
            var workspace = AgentWorkspace.Require(context.WorkingDirectory);
            var report = await MigrateService.RunAsync(workspace, parse.GetValue(dryRun), cancellationToken);
            if (parse.GetValue(json))
            {
                Render.Json(context, new MigrationJson(
                    new SchemaJson(report.CacheFrom, report.CacheTo),
                    report.Remote is null ? null : new SchemaJson(report.RemoteFrom ?? 0, report.RemoteTo ?? 0),
                    report.DryRun), OutputJsonContext.Default.MigrationJson);
                return 0;
            }

            context.Out.WriteLine($"local cache: {Line(report.CacheFrom, report.CacheTo, report.DryRun, null)}");
            if (report.Remote is { } remote)
                context.Out.WriteLine($"remote {remote}: {Line(report.RemoteFrom ?? 0, report.RemoteTo ?? 0, report.DryRun, RemoteSchema.Migration)}");
            else
                context.Out.WriteLine("remote: none configured ('agent sync init --remote URL' to add one)");
            return 0;
        });
        return command;
    }

    /// <param name="migration">What brings it up, when it is a file worth naming (the server migration).</param>
    private static string Line(int from, int to, bool dryRun, string? migration) =>
        from == to ? $"schema {to} (up to date)"
        : !dryRun ? $"schema {from} -> {to}"
        : migration is null ? $"schema {from}, would migrate to {to}"
        : $"schema {from}, would apply {migration} (schema {to})";
}
