using System.Diagnostics;
using AgentSync.Commands;

namespace AgentSync.Tests.Support;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>Runs <c>agent</c> in-process with captured streams, or as the real built executable.</summary>
public static class AgentCli
{
    private static readonly Lazy<string> Executable = new(FindExecutable);

    /// <summary>The built agent executable.</summary>
    public static string ExecutablePath => Executable.Value;

    public static async Task<CliResult> RunInProcessAsync(string workingDirectory, string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CommandContext(new StringReader(stdin ?? ""), output, error, workingDirectory, IsTerminal: false);
        var code = await AgentApplication.RunAsync(args, context);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, null, args);

    /// <summary>The real executable, as users run it: a separate process with its own environment.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, string? stdin, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Tests must not depend on the developer's own remote or credentials.
        foreach (var name in new[] { "AGENT_SYNC_REMOTE", "AGENT_SYNC_PROJECT", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_ANON_KEY", "SUPABASE_ACCESS_TOKEN", "SUPABASE_USER", "PGPASSWORD", "OTEL_EXPORTER_OTLP_ENDPOINT" })
            start.Environment.Remove(name);
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
                start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>test.sh publishes the agent as users get it (Native AOT) and names it here, so the end-to-end tests run
    /// the shipped executable; without it they run the JIT-compiled build of the same code.</summary>
    public const string ExecutableVariable = "AGENT_SYNC_TEST_AGENT";

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } named)
        {
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException($"{ExecutableVariable} names {named}, which does not exist; publish the agent or unset it");
        }

        // The test project builds the CLI project (ReferenceOutputAssembly=false); its output sits beside ours.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "AgentSync.Cli", "bin", configuration, "net10.0", "agent");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException("the agent executable was not found; build the solution (dotnet build AgentSync.slnx) first");
    }
}
