using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentSync.Sync;
using Spectre.Console;

namespace AgentSync.Commands.Output;

/// <summary>Shared rendering: one JSON document for scripts, tables for people, plain lines when piped.</summary>
internal static class Render
{
    public static void Json<T>(CommandContext context, T value, JsonTypeInfo<T> type)
    {
        context.Out.WriteLine(JsonSerializer.Serialize(value, type));
    }

    /// <summary>A console for tables that honours the context's writer; colours only on a terminal.</summary>
    public static IAnsiConsole Console(CommandContext context) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(context.Out),
        Ansi = context.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = context.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = context.IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public static string Change(ChangeType change) => change switch
    {
        ChangeType.Added => "added",
        ChangeType.Modified => "modified",
        _ => "deleted",
    };

    /// <summary>Prints each input error as one line on stderr; returns the exit code the command should end with.</summary>
    public static int Errors(CommandContext context, IReadOnlyList<InputError> errors)
    {
        foreach (var error in errors)
            context.Error.WriteLine($"error: {error.Message}");
        return errors.Count > 0 ? AgentSync.Errors.ExitCodes.Usage : AgentSync.Errors.ExitCodes.Ok;
    }

    public static IReadOnlyList<ErrorJson> ErrorsJson(IReadOnlyList<InputError> errors) =>
        [.. errors.Select(e => new ErrorJson(e.Path, e.Message))];
}
