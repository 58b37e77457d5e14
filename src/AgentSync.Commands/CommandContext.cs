namespace AgentSync.Commands;

/// <summary>The process around a command: streams, working directory and whether a person is at a terminal.</summary>
public sealed record CommandContext(TextReader In, TextWriter Out, TextWriter Error, string WorkingDirectory, bool IsTerminal)
{
    /// <param name="output">Where stdout goes: <see cref="Console.Out"/> on a terminal, else <see cref="BufferedStdout"/>.</param>
    public static CommandContext FromConsole(TextWriter? output = null) => new(
        Console.In,
        output ?? Console.Out,
        Console.Error,
        Directory.GetCurrentDirectory(),
        !Console.IsOutputRedirected && !Console.IsInputRedirected && Environment.GetEnvironmentVariable("CI") is null);

    /// <summary>
    /// Standard output in blocks, as C's stdio writes to a pipe or a file, when it is not a terminal: the console's own
    /// writer makes one system call per line (1,000 for a pull of 1,000 artifacts). Null on a terminal, where every line
    /// must show at once. The caller flushes it before the process ends.
    /// </summary>
    public static TextWriter? BufferedStdout() => Console.IsOutputRedirected
        ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 16 * 1024) { AutoFlush = false }
        : null;
}
