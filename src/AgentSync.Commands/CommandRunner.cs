using System.CommandLine;
using System.Diagnostics;
using AgentSync.Commands.Diagnostics;
using AgentSync.Diagnostics;
using AgentSync.Errors;
using AgentSync.Remote;
using AgentSync.Scrubbing;
using AgentSync.Store;
using AgentSync.Sync;
using AgentSync.Workspace;

namespace AgentSync.Commands;

/// <summary>
/// The one place where failures become exit codes: a <see cref="SyncException"/> is one line on stderr with its code;
/// anything unexpected is one line too, with the details shown only under --verbose and kept in the log. Never a stack
/// trace by default, never a credential (every message is masked). It also opens the span of each command and records
/// what changed anything in the audit trail and the structured log.
/// </summary>
public static class CommandRunner
{
    /// <summary>Commands that change the working tree, the cache or the remote: these are audited.</summary>
    private static readonly HashSet<string> Audited = new(StringComparer.Ordinal)
    {
        "init", "import", "export", "push", "pull", "resolve", "forget", "migrate", "new-story", "new-plan", "new-runbook",
    };

    public static void SetAction(this Command command, CommandContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) => await RunAsync(context, parse, action, cancellationToken));

    /// <summary>Opens the workspace around the working directory for the command and closes it after.</summary>
    /// <param name="connects">Whether this run will talk to the configured remote: then connecting starts at once.</param>
    /// <remarks>The workspace stays open until the command's audit record is written into its cache, which would
    /// otherwise be opened a second time for that one row.</remarks>
    public static void SetWorkspaceAction(this Command command, CommandContext context, Func<ParseResult, SyncContext, CancellationToken, Task<int>> action, Func<ParseResult, bool>? connects = null) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            SyncContext? sync = null;
            try
            {
                return await RunAsync(context, parse, async (parsed, token) =>
                {
                    var workspace = AgentWorkspace.Require(context.WorkingDirectory);
                    sync = await SyncContext.OpenAsync(workspace, token, connects?.Invoke(parsed) ?? false);
                    return await action(parsed, sync, token);
                }, cancellationToken, () => sync?.Store);
            }
            finally
            {
                if (sync is not null)
                    await sync.DisposeAsync();
            }
        });

    /// <param name="openStore">The cache the command has open, if any, for its audit record.</param>
    private static async Task<int> RunAsync(CommandContext context, ParseResult parse, Func<ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken, Func<LocalStore?>? openStore = null)
    {
        var verbose = parse.GetValue(AgentApplication.Verbose);
        var name = parse.CommandResult.Command.Name;
        using var span = Telemetry.Source.StartActivity($"agent {name}", ActivityKind.Internal);
        var operation = Operation.Begin(name);
        int code;
        string? error = null;
        Exception? failure = null;
        try
        {
            code = await action(parse, cancellationToken);
        }
        catch (SyncException e)
        {
            (code, error, failure) = (e.ExitCode, e.Message, e);
        }
        catch (RemoteException e)
        {
            (code, error, failure) = (ExitCodes.Usage, RemoteMessages.Describe(e), e);
        }
        catch (RemoteUnavailableException e)
        {
            (code, error, failure) = (ExitCodes.Queued, $"{e.Message}; nothing was lost, run the command again when the remote is reachable", e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            (code, error, failure) = (ExitCodes.Usage, "interrupted; nothing was half-applied, run the command again", e);
        }
        catch (IOException e)
        {
            (code, error, failure) = (ExitCodes.Usage, $"{e.Message}; check the path and its permissions", e);
        }
        catch (UnauthorizedAccessException e)
        {
            (code, error, failure) = (ExitCodes.Usage, $"{e.Message}; check the permissions of the workspace", e);
        }
#pragma warning disable CA1031 // The last resort: the user gets one line, never a stack trace, and the code of a usage error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            (code, error, failure) = (ExitCodes.Usage, $"unexpected failure ({e.GetType().Name}: {e.Message}); run again with --verbose for details and report it", e);
        }

        if (error is not null)
        {
            context.Error.WriteLine($"error: {SecretMasker.Mask(error)}");
            if (verbose)
                context.Error.WriteLine(SecretMasker.Mask(failure!.ToString()));
        }

        await RecordAsync(context, parse, operation, span, code, error, failure, verbose, openStore?.Invoke());
        return code;
    }

    private static async Task RecordAsync(CommandContext context, ParseResult parse, Operation operation, Activity? span, int code, string? error, Exception? failure, bool verbose, LocalStore? openStore)
    {
        var outcome = code switch { 0 => "ok", 1 => "conflicts", 75 => "queued", _ => "error" };
        span?.SetTag("agent_sync.exit_code", code).SetTag("agent_sync.outcome", outcome)
            .SetStatus(code is 0 or 1 ? ActivityStatusCode.Ok : ActivityStatusCode.Error, error is null ? null : SecretMasker.Mask(error));
        Telemetry.Duration.Record(operation.DurationMs, new("operation", operation.Name), new("outcome", outcome));
        if (error is not null)
            Telemetry.Errors.Add(1, new KeyValuePair<string, object?>("kind", failure?.GetType().Name ?? "error"));
        // A dry run changes nothing, its own audit record included.
        var dryRun = parse.Tokens.Any(t => t.Value is "--dry-run" or "-n");
        if ((!Audited.Contains(operation.Name) || dryRun) && error is null)
            return;

        var workspace = AgentWorkspace.Discover(context.WorkingDirectory);
        if (workspace is null || !workspace.IsInitialized)
        {
            SyncLog.Write(null, operation, "unknown", outcome, code, error, failure, verbose, context.Error);
            return;
        }

        var user = operation.Actor ?? Identity.Resolve(workspace.Root).Email;
        SyncLog.Write(workspace.LogDirectory, operation, user, outcome, code, error, failure, verbose, context.Error);
        if (!Audited.Contains(operation.Name) || dryRun)
            return;
        try
        {
            // The command's own cache when it has one open for this workspace; else opened (and closed) here.
            var opened = openStore is not null && openStore.Path == workspace.DatabasePath ? null : await LocalStore.OpenAsync(workspace.DatabasePath, CancellationToken.None);
            await using (opened)
                await AuditTrail.RecordLocalAsync(opened ?? openStore!, operation, user, outcome, error is null ? null : SecretMasker.Mask(error), CancellationToken.None);
        }
        catch (SyncException e)
        {
            // The operation itself has ended; a cache that cannot take its audit row is worth a line, not a failure.
            context.Error.WriteLine($"warning: the local audit record was not written: {e.Message}");
        }
    }
}
