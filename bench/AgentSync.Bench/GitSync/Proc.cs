using System.Diagnostics;

namespace AgentSync.Bench.GitSync;

/// <summary>Runs a whole process to its exit and times it from start to exit; a non-zero exit code stops the bench.</summary>
internal static class Proc
{
    private static readonly string[] Scrubbed =
        ["AGENT_SYNC_REMOTE", "AGENT_SYNC_PROJECT", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_ANON_KEY", "SUPABASE_ACCESS_TOKEN", "SUPABASE_USER", "PGPASSWORD", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    public static async Task<double> RunAsync(string workingDirectory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in Scrubbed)
            start.Environment.Remove(name);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} in {workingDirectory} exited {process.ExitCode}: {await output} {await error}");
        return elapsed;
    }

    public static async Task<double> SequenceAsync(string workingDirectory, params string[][] commands)
    {
        var total = 0.0;
        foreach (var command in commands)
            total += await RunAsync(workingDirectory, command[0], command[1..]);
        return total;
    }
}
