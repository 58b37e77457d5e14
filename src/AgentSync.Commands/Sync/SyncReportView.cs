using AgentSync.Artifacts;
using AgentSync.Commands.Output;
using AgentSync.Sync;
using Spectre.Console;

namespace AgentSync.Commands.Sync;

/// <summary>Shows a push or pull report: one JSON document, or lines for people, offering each conflict on a terminal.</summary>
internal static class SyncReportView
{
    public static async Task<int> ShowAsync(CommandContext context, SyncContext sync, SyncReport report, string verb, bool json, bool noInput, CancellationToken cancellationToken)
    {
        if (!json && !noInput && context.IsTerminal && !report.DryRun && report.Conflicts.Count > 0)
        {
            var resolved = await OfferResolutionsAsync(context, sync, report, cancellationToken);
            if (verb == "pushed" && resolved.Count > 0)
            {
                // Resolved during a push: send the resolutions now rather than leaving them for the next push.
                var again = await new PushService(sync).RunAsync(resolved, dryRun: false, cancellationToken);
                report.Pushed.AddRange(again.Pushed);
                report.Merged.AddRange(again.Merged);
                report.Conflicts.AddRange(again.Conflicts.Where(c => !report.Conflicts.Any(r => r.Id == c.Id && r.Kind == c.Kind)));
                report.Queued = again.Queued;
                report.Unreachable ??= again.Unreachable;
            }
        }

        foreach (var error in report.Errors)
            context.Error.WriteLine($"error: {error.Message}");
        if (json)
        {
            static VersionedRefJson Ref(SyncItem i) => new(i.Id, i.Kind.Name(), i.Version);
            var items = verb == "pushed" ? report.Pushed : report.Pulled;
            Render.Json(context, new SyncResultJson(
                verb == "pushed" ? [.. items.Select(Ref)] : null,
                verb == "pulled" ? [.. items.Select(Ref)] : null,
                [.. report.Merged.Select(Ref)],
                [.. report.Conflicts.Select(c => new ArtifactRefJson(c.Id, c.Kind.Name()))],
                report.Queued,
                [.. report.Rejected.Select(r => new RejectedJson(r.Id, r.Kind.Name(), r.Reason))],
                report.DryRun), OutputJsonContext.Default.SyncResultJson);
        }
        else
        {
            WriteLines(context, report, verb);
        }

        if (report.Unreachable is not null)
            context.Error.WriteLine($"error: the remote is unreachable ({report.Unreachable}); {report.Queued} changes queued, the next push or pull sends them");
        return report.ExitCode;
    }

    private static void WriteLines(CommandContext context, SyncReport report, string verb)
    {
        var would = report.DryRun ? "would be " : "";
        foreach (var item in verb == "pushed" ? report.Pushed : report.Pulled)
            context.Out.WriteLine($"{would}{verb,-8} {item.Id,-12} {item.Kind.Name(),-8} v{item.Version}");
        if (verb == "pushed")
        {
            foreach (var item in report.Pulled)
                context.Out.WriteLine($"{would}updated  {item.Id,-12} {item.Kind.Name(),-8} v{item.Version} (the remote already had the same change)");
        }
        else
        {
            foreach (var item in report.Pushed)
                context.Out.WriteLine($"{would}sent     {item.Id,-12} {item.Kind.Name(),-8} v{item.Version} (queued earlier)");
        }

        foreach (var item in report.Merged)
            context.Out.WriteLine($"{would}merged   {item.Id,-12} {item.Kind.Name(),-8} with remote v{item.Version}");
        foreach (var item in report.Renumbered)
            context.Out.WriteLine($"renumbered {item.OldId} -> {item.NewId} ({item.Kind.Name()}): the remote already had {item.OldId}; now {item.Path}");
        foreach (var conflict in report.Conflicts)
            context.Out.WriteLine($"{would}CONFLICT {conflict.Id,-12} {conflict.Kind.Name(),-8} {conflict.Path}: edit the file, then 'agent sync resolve {conflict.Id}' (or --ours / --theirs)");
        foreach (var rejected in report.Rejected)
            context.Out.WriteLine($"refused  {rejected.Id,-12} {rejected.Kind.Name(),-8} {rejected.Reason}");
        var total = (verb == "pushed" ? report.Pushed : report.Pulled).Count;
        context.Out.WriteLine(report.DryRun
            ? $"dry run: {total} {verb}, {report.Merged.Count} merged, {report.Conflicts.Count} conflicts; nothing was changed"
            : $"{total} {verb}, {report.Merged.Count} merged, {report.Conflicts.Count} conflicts, {report.Queued} queued");
    }

    /// <summary>On a terminal, each conflict is offered: ours, theirs, edit now, or skip (resolve later).</summary>
    private static async Task<List<string>> OfferResolutionsAsync(CommandContext context, SyncContext sync, SyncReport report, CancellationToken cancellationToken)
    {
        var resolved = new List<string>();
        var console = Render.Console(context);
        foreach (var conflict in report.Conflicts.ToList())
        {
            var choice = await console.PromptAsync(new SelectionPrompt<string>()
                .Title($"[yellow]{Markup.Escape(conflict.Id)}[/] conflicts with remote v{conflict.RemoteVersion} ({Markup.Escape(conflict.RemoteAuthor ?? "unknown")}):")
                .AddChoices("edit", "ours", "theirs", "skip"), cancellationToken);
            if (choice == "skip")
                continue;
            var artifact = await ResolveService.FindConflictAsync(sync, conflict.Id, conflict.Kind, cancellationToken);
            var resolution = choice switch { "ours" => Resolution.Ours, "theirs" => Resolution.Theirs, _ => Resolution.Manual };
            if (resolution == Resolution.Manual)
                await Editor.OpenAsync(sync.Workspace, artifact.Path, cancellationToken);
            await ResolveService.ResolveAsync(sync, artifact, resolution, cancellationToken);
            report.Conflicts.Remove(conflict);
            resolved.Add(conflict.Id);
            context.Out.WriteLine($"resolved {conflict.Id} ({choice})");
        }

        return resolved;
    }
}
