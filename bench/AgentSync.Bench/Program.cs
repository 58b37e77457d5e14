using AgentSync.Bench;
using AgentSync.Sync;

if (args.Contains("remote"))
    return await AgentSync.Bench.Remote.RemoteBench.RunAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var corpus = CorpusWorkspace.FindCorpus(options.CorpusPath);
var agent = options.AgentPath ?? AgentLocator.Find();
Console.Error.WriteLine($"bench: building a workspace of {options.Count} artifacts from {corpus}");
using var workspace = CorpusWorkspace.Create(corpus, options.Count);
workspace.Keep = options.Keep;
ProcessBench.ResetGit(workspace.Root);
Console.Out.WriteLine(Report.Header(options, agent ?? "(not found: process rows skipped)", corpus));

// The in-process rows need a cache: import in process once (the process table times the real import).
Console.Error.WriteLine($"bench: importing in process into {workspace.Root}");
var init = await InitService.RunAsync(workspace.Root, CancellationToken.None);
if (init.Import.Errors.Count > 0)
    Console.Error.WriteLine($"bench: {init.Import.Errors.Count} corpus files refused, first: {init.Import.Errors[0].Message}");
Console.Error.WriteLine("bench: LocalStore operations");
Console.Out.WriteLine(Report.Store(await StoreBench.RunAsync(workspace, options, CancellationToken.None)));

if (agent is not null)
{
    var results = new List<ProcessResult>();
    foreach (var c in ProcessBench.Cases(workspace, agent))
    {
        Console.Error.WriteLine($"bench: {c.Agent.Display} vs {c.Git.Display}");
        results.Add(ProcessBench.Measure(c, options.ProcessRuns));
    }

    Console.Out.WriteLine(Report.Processes(results));
}

if (options.Keep)
    Console.Error.WriteLine($"bench: kept {workspace.Scratch}");
return 0;
