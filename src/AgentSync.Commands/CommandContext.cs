namespace AgentSync.Commands;

/// <summary>The process around a command: streams, working directory and whether a person is at a terminal.</summary>
public sealed record CommandContext(TextReader In, TextWriter Out, TextWriter Error, string WorkingDirectory, bool IsTerminal)
{
    public static CommandContext FromConsole() => new(
        Console.In,
        Console.Out,
        Console.Error,
        Directory.GetCurrentDirectory(),
        !Console.IsOutputRedirected && !Console.IsInputRedirected && Environment.GetEnvironmentVariable("CI") is null);
}
