return await AgentSync.Commands.AgentApplication.RunAsync(args);
