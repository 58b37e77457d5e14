if (args.Contains("remote")) return await AgentSync.Bench.Remote.RemoteBench.RunAsync(args);
Console.WriteLine("bench: not written yet");
return 0;
