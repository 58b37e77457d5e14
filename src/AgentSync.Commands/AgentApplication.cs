using System.CommandLine;
using AgentSync.Commands.Artifacts;
using AgentSync.Commands.Sync;

namespace AgentSync.Commands;

/// <summary>
/// Builds the <c>agent</c> command tree. Another .NET CLI can add <see cref="BuildSyncCommand"/> to its own tree.
/// </summary>
public static class AgentApplication
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show details of errors and operations on stderr", Recursive = true };

    /// <summary>Parsed here so every command accepts it; the executable prints the spans when it is given.</summary>
    public static readonly Option<bool> Trace = new("--trace") { Description = "Print OpenTelemetry spans of this command on stderr, one line each", Recursive = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var buffered = CommandContext.BufferedStdout();
        try
        {
            return await RunAsync(args, CommandContext.FromConsole(buffered));
        }
        finally
        {
            if (buffered is not null)
                await FlushAsync(buffered);
        }
    }

    private static async Task FlushAsync(TextWriter output)
    {
        try
        {
            await output.FlushAsync();
        }
        catch (IOException)
        {
            // The reader went away (agent list | head): what it did not read is nobody's loss, and no trace for it.
        }
    }

    public static async Task<int> RunAsync(string[] args, CommandContext context)
    {
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            // Parse errors are usage errors: one line, exit 2, and where to find help.
            context.Error.WriteLine($"error: {parse.Errors[0].Message} (see 'agent {string.Join(' ', CommandPath(parse))} --help')");
            return Errors.ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration);
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return names;
    }

    public static RootCommand BuildRoot(CommandContext context)
    {
        var root = new RootCommand("agent: governance artifacts (stories, plans, runbooks, ADRs, journeys) synchronized between developers");
        root.Options.Add(Verbose);
        root.Options.Add(Trace);
        root.Subcommands.Add(BuildSyncCommand(context));
        root.Subcommands.Add(ListCommand.Build(context));
        root.Subcommands.Add(NewCommands.Story(context));
        root.Subcommands.Add(NewCommands.Plan(context));
        root.Subcommands.Add(NewCommands.Runbook(context));
        return root;
    }

    public static Command BuildSyncCommand(CommandContext context)
    {
        var sync = new Command("sync", "Synchronize artifacts between the working tree, the local cache and the team's remote");
        sync.Subcommands.Add(InitCommand.Build(context));
        sync.Subcommands.Add(ImportCommand.Build(context));
        sync.Subcommands.Add(ExportCommand.Build(context));
        sync.Subcommands.Add(StatusCommand.Build(context));
        sync.Subcommands.Add(PushPullCommands.Push(context));
        sync.Subcommands.Add(PushPullCommands.Pull(context));
        sync.Subcommands.Add(ResolveCommand.Build(context));
        sync.Subcommands.Add(DiffCommand.Build(context));
        sync.Subcommands.Add(LogCommand.Build(context));
        sync.Subcommands.Add(AuditCommand.Build(context));
        sync.Subcommands.Add(MetricsCommand.Build(context));
        sync.Subcommands.Add(ForgetCommand.Build(context));
        sync.Subcommands.Add(MigrateCommand.Build(context));
        return sync;
    }
}
