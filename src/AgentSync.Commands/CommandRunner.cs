using System.CommandLine;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Sync;
using AgentSync.Workspace;

namespace AgentSync.Commands;

/// <summary>
/// The one place where failures become exit codes: a <see cref="SyncException"/> is one line on stderr with its code;
/// anything unexpected is one line too, with the details shown only under --verbose. Never a stack trace by default.
/// </summary>
public static class CommandRunner
{
    public static void SetAction(this Command command, CommandContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) => await RunAsync(context, parse, action, cancellationToken));

    /// <summary>Opens the workspace around the working directory for the command and closes it after.</summary>
    public static void SetWorkspaceAction(this Command command, CommandContext context, Func<ParseResult, SyncContext, CancellationToken, Task<int>> action) =>
        command.SetAction(context, async (parse, cancellationToken) =>
        {
            var workspace = AgentWorkspace.Require(context.WorkingDirectory);
            await using var sync = await SyncContext.OpenAsync(workspace, cancellationToken);
            return await action(parse, sync, cancellationToken);
        });

    private static async Task<int> RunAsync(CommandContext context, ParseResult parse, Func<ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var verbose = parse.GetValue(AgentApplication.Verbose);
        try
        {
            return await action(parse, cancellationToken);
        }
        catch (SyncException e)
        {
            return Fail(context, e.ExitCode, e.Message, e, verbose);
        }
        catch (RemoteException e)
        {
            return Fail(context, ExitCodes.Usage, RemoteMessages.Describe(e), e, verbose);
        }
        catch (RemoteUnavailableException e)
        {
            return Fail(context, ExitCodes.Queued, $"{e.Message}; nothing was lost, run the command again when the remote is reachable", e, verbose);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(context, ExitCodes.Usage, "interrupted; nothing was half-applied, run the command again", e, verbose);
        }
        catch (IOException e)
        {
            return Fail(context, ExitCodes.Usage, $"{e.Message}; check the path and its permissions", e, verbose);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(context, ExitCodes.Usage, $"{e.Message}; check the permissions of the workspace", e, verbose);
        }
#pragma warning disable CA1031 // The last resort: the user gets one line, never a stack trace, and the code of a usage error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail(context, ExitCodes.Usage, $"unexpected failure ({e.GetType().Name}: {e.Message}); run again with --verbose for details and report it", e, verbose);
        }
    }

    private static int Fail(CommandContext context, int code, string message, Exception exception, bool verbose)
    {
        context.Error.WriteLine($"error: {message}");
        if (verbose)
            context.Error.WriteLine(exception.ToString());
        return code;
    }
}
