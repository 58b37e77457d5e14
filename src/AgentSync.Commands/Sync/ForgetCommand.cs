using System.CommandLine;
using AgentSync.Sync;

namespace AgentSync.Commands.Sync;

internal static class ForgetCommand
{
    public static Command Build(CommandContext context)
    {
        var author = new Option<string>("--author") { Description = "The e-mail address to erase", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("forget", "GDPR erase: replace a person's identity with a pseudonym in every row, remote (service role) and local") { author, yes };
        command.SetWorkspaceAction(context, async (parse, sync, cancellationToken) =>
        {
            var email = parse.GetValue(author)!;
            if (!parse.GetValue(yes))
            {
                if (!context.IsTerminal)
                    throw Errors.SyncException.Usage("forget erases identities for good; add --yes to confirm when not at a terminal");
                context.Out.Write($"Erase {email} from every row of {sync.Config.Remote ?? "the local cache"}? Type the address again to confirm: ");
                if (!string.Equals(context.In.ReadLine()?.Trim(), email, StringComparison.OrdinalIgnoreCase))
                    throw Errors.SyncException.Usage("not confirmed; nothing was erased");
            }

            var receipt = await ForgetService.RunAsync(sync, email, null, cancellationToken);
            context.Out.WriteLine($"erased {email}");
            if (receipt.Remote is not null)
                context.Out.WriteLine($"  remote: {receipt.Remote.RootElement.GetRawText()}");
            foreach (var (table, count) in receipt.Local)
                context.Out.WriteLine($"  local {table}: {count}");
            return 0;
        });
        return command;
    }
}
