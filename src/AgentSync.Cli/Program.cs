using AgentSync.Cli;
using AgentSync.Commands;

// Program only wires: telemetry when it is asked for (kept off the start-up path otherwise), then the command tree.
if (!TelemetrySetup.Wanted(args))
    return await AgentApplication.RunAsync(args);

using (TelemetrySetup.Start(args))
    return await AgentApplication.RunAsync(args);
