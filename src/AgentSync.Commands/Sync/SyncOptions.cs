using System.CommandLine;

namespace AgentSync.Commands.Sync;

/// <summary>Options shared by push and pull, declared once so their names and help never drift apart.</summary>
internal sealed class SyncOptions
{
    public Argument<string[]> Ids { get; } = new("ids") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these artifact ids (default: all)" };

    public Option<bool> DryRun { get; } = new("--dry-run", "-n") { Description = "Show what would change; change nothing, local or remote" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document" };

    public Option<bool> NoInput { get; } = new("--no-input") { Description = "Never prompt, even on a terminal" };

    /// <summary>The ids given; a token that looks like an option is a typo, not an id ("--dryrun").</summary>
    public string[] CheckedIds(ParseResult parse)
    {
        var ids = parse.GetValue(Ids) ?? [];
        if (ids.FirstOrDefault(i => i.StartsWith('-')) is { } unknown)
            throw Errors.SyncException.Usage($"unknown option '{unknown}' (see 'agent sync {parse.CommandResult.Command.Name} --help')");
        return ids;
    }

    public void AddTo(Command command)
    {
        command.Arguments.Add(Ids);
        command.Options.Add(DryRun);
        command.Options.Add(Json);
        command.Options.Add(NoInput);
    }
}
