using System.CommandLine;
using AgentSync.Artifacts;
using AgentSync.Commands.Output;
using Spectre.Console;

namespace AgentSync.Commands.Artifacts;

internal static class ListCommand
{
    public static Command Build(CommandContext context)
    {
        var kind = new Option<string?>("--kind", "-k") { Description = "Only this kind: story, plan, runbook, adr, journey" };
        var state = new Option<string?>("--state", "-s") { Description = "Only this state, e.g. DRAFT or COMMITTED" };
        var json = new Option<bool>("--json") { Description = "Print one JSON array" };
        var command = new Command("list", "List artifacts from the local cache with id, kind, title, state, path and version") { kind, state, json };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var kindFilter = parse.GetValue(kind) is { } k ? ArtifactKinds.Parse(k) : (ArtifactKind?)null;
            var artifacts = (await sync.Store.ListAsync(kindFilter, parse.GetValue(state), cancellationToken)).Where(a => !a.Deleted).ToList();
            if (parse.GetValue(json))
            {
                IReadOnlyList<ArtifactJson> items = [.. artifacts.Select(a => new ArtifactJson(a.Id, a.Kind.Name(), a.Title, a.State, a.Path, a.BaseVersion))];
                Render.Json(context, items, OutputJsonContext.Default.IReadOnlyListArtifactJson);
                return 0;
            }

            if (!context.IsTerminal)
            {
                // Piped: tab-separated lines that cut and awk can take apart.
                foreach (var a in artifacts)
                    context.Out.WriteLine($"{a.Id}\t{a.Kind.Name()}\t{a.State ?? "-"}\t{a.BaseVersion}\t{a.Path}\t{a.Title}");
                return 0;
            }

            var table = new Table().AddColumns("ID", "Kind", "State", "Ver", "Title", "Path");
            foreach (var a in artifacts)
                table.AddRow(Markup.Escape(a.Id), a.Kind.Name(), Markup.Escape(a.State ?? "-"), a.BaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(a.Title), Markup.Escape(a.Path));
            Render.Console(context).Write(table);
            context.Out.WriteLine($"{artifacts.Count} artifacts");
            return 0;
        });
        return command;
    }
}
