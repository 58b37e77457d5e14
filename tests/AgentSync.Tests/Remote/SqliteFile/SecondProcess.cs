using System.Diagnostics;
using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.SqliteFile;

namespace AgentSync.Tests.Remote.SqliteFile;

/// <summary>
/// Runs a pusher in a real second OS process: this test assembly started with <c>dotnet</c> and itself as the
/// <c>DOTNET_STARTUP_HOOKS</c> assembly, so the hook below does the work before the test SDK's empty Main. No helper
/// project to build, and the child uses exactly the AgentSync.Core the tests were built against.
/// </summary>
internal static class SecondProcess
{
    private const string Variable = "AGENT_SYNC_TEST_SECOND_PROCESS";

    /// <summary>Starts a process that pushes <paramref name="count"/> one-item batches once it reads a line on stdin.</summary>
    public static Process StartPusher(string path, string project, string prefix, int count)
    {
        var assembly = typeof(SecondProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[Variable] = string.Join('\n', path, project, prefix, count);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Called by the startup hook in the child; the exit code tells the parent how it went.</summary>
    internal static void RunIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { } arguments)
            return;
        var parts = arguments.Split('\n');
        try
        {
            PushAsync(parts[0], parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
            Environment.Exit(0);
        }
#pragma warning disable CA1031 // The child reports any failure through its exit code and stderr.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine(e);
            Environment.Exit(3);
        }
    }

    private static async Task PushAsync(string path, string project, string prefix, int count)
    {
        await using var remote = new SqliteFileRemote(path);
        await remote.ConnectAsync(CancellationToken.None);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        _ = Console.In.ReadLine();
        for (var i = 1; i <= count; i++)
        {
            var content = $"{prefix} {i}\n";
            var change = new RemoteChange(Guid.NewGuid(), $"{prefix}-{i}", ArtifactKind.Story, 0, content, ContentHash.Of(content), false, "child@example.com", null);
            var result = (await remote.PushAsync(project, [change], CancellationToken.None))[0];
            if (result.Status != PushStatus.Accepted)
                throw new InvalidOperationException($"{change.Id} was not accepted: {result.Status}");
        }
    }
}
