using System.CommandLine;

namespace AgentSync.Commands.Sync;

/// <summary>Options shared by push and pull, declared once so their names and help never drift apart.</summary>
internal sealed class SyncOptions
{
    public Argument<string[]> Ids { get; } = new("ids") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these artifact ids (default: all)" };

    public Option<bool> DryRun { get; } = new("--dry-run", "-n") { Description = "Show what would change; change nothing, local or remote" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document" };

    public Option<bool> NoInput { get; } = new("--no-input") { Description = "Never prompt, even on a terminal" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Ids);
        command.Options.Add(DryRun);
        command.Options.Add(Json);
        command.Options.Add(NoInput);
    }
}
