using System.CommandLine;
using System.Globalization;
using AgentSync.Sync;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using DiffChange = DiffPlex.DiffBuilder.Model.ChangeType;


namespace AgentSync.Commands.Sync;

internal static class DiffCommand
{
    private const int Context = 3;

    public static Command Build(CommandContext context)
    {
        var id = new Argument<string?>("id") { Arity = ArgumentArity.ZeroOrOne, Description = "One artifact (default: every changed one)" };
        var sideBySide = new Option<bool>("--side-by-side", "-y") { Description = "Both versions next to each other" };
        var command = new Command("diff", "Show local changes against the base version, or local against remote during a conflict") { id, sideBySide };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            foreach (var diff in await DiffService.ComputeAsync(sync, parse.GetValue(id), cancellationToken))
            {
                if (parse.GetValue(sideBySide))
                    WriteSideBySide(context, diff);
                else
                    WriteUnified(context, diff);
            }

            return 0;
        });
        return command;
    }

    private static void WriteUnified(CommandContext context, ArtifactDiff diff)
    {
        context.Out.WriteLine($"--- {diff.Path} ({diff.LeftLabel})");
        context.Out.WriteLine($"+++ {diff.Path} ({diff.RightLabel})");
        var lines = InlineDiffBuilder.Diff(diff.Left, diff.Right, ignoreWhiteSpace: false).Lines;
        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Type != DiffChange.Unchanged).Select(p => p.i).ToList();
        var shown = new HashSet<int>(changed.SelectMany(i => Enumerable.Range(i - Context, (2 * Context) + 1)).Where(i => i >= 0 && i < lines.Count));
        var previous = -2;
        foreach (var index in shown.Order())
        {
            if (index != previous + 1)
                context.Out.WriteLine($"@@ line {(index + 1).ToString(CultureInfo.InvariantCulture)} @@");
            var line = lines[index];
            var prefix = line.Type switch { DiffChange.Inserted => '+', DiffChange.Deleted => '-', _ => ' ' };
            context.Out.WriteLine($"{prefix}{line.Text}");
            previous = index;
        }
    }

    private static void WriteSideBySide(CommandContext context, ArtifactDiff diff)
    {
        const int width = 60;
        var model = new SideBySideDiffBuilder(new Differ()).BuildDiffModel(diff.Left, diff.Right, ignoreWhitespace: false);
        context.Out.WriteLine($"{diff.Path}");
        context.Out.WriteLine($"{Fit(diff.LeftLabel, width)} | {diff.RightLabel}");
        context.Out.WriteLine($"{new string('-', width)}-+-{new string('-', width)}");
        for (var i = 0; i < Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count); i++)
        {
            var left = i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null;
            var right = i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null;
            var marker = left?.Type == DiffChange.Unchanged ? ' ' : '|';
            context.Out.WriteLine($"{Fit(left?.Text ?? "", width)} {marker} {right?.Text ?? ""}");
        }
    }

    private static string Fit(string text, int width) => text.Length > width ? text[..(width - 1)] + "…" : text.PadRight(width);
}
