using System.Diagnostics;

namespace AgentSync.Bench;

/// <summary>One finished run of an external program.</summary>
internal sealed record ToolRun(double Milliseconds, double CpuMilliseconds, int ExitCode, int OutputLines, string FirstErrorLine);

/// <summary>Starts a program with its output drained (as a pipe would), and times it from start to exit.</summary>
internal static class Tool
{
    public static ToolRun Run(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Same non-interactive settings for both sides: no pager, no colours, no telemetry banner.
        start.Environment["GIT_PAGER"] = "cat";
        start.Environment["PAGER"] = "cat";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var cpuBefore = ChildCpu.TotalMilliseconds();
        var begin = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var lines = 0;
        while (process.StandardOutput.ReadLine() is not null)
            lines++;
        process.WaitForExit();
        var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
        var cpu = ChildCpu.TotalMilliseconds() - cpuBefore;
        var firstError = error.Result.Split('\n', 2)[0].Trim();
        return new ToolRun(elapsed, cpu, process.ExitCode, lines, firstError);
    }

    /// <summary>Runs a setup step and stops the bench with its message when it fails.</summary>
    public static void Must(string workingDirectory, string file, params string[] args)
    {
        var run = Run(workingDirectory, file, args);
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {run.ExitCode}: {run.FirstErrorLine}");
    }
}
