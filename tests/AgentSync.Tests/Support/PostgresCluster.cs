using System.Diagnostics;
using System.Globalization;

namespace AgentSync.Tests.Support;

/// <summary>
/// The processes behind <see cref="PostgresServer"/>: finds the server binaries, runs initdb and pg_ctl (as the
/// <c>postgres</c> user when the tests run as root, because initdb refuses root), and tears the cluster down.
/// </summary>
internal sealed class PostgresCluster
{
    private const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found via `pg_config --bindir` nor in /usr/lib/postgresql/*/bin. " +
        "Install them with `apt-get install -y postgresql` (Debian/Ubuntu; `brew install postgresql@15` on macOS), " +
        "or put the directory holding pg_config on PATH.";

    private readonly string _binDir;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string binDir, string root, bool asPostgresUser, int port)
    {
        _binDir = binDir;
        _root = root;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(_root, "data");

    public static async Task<PostgresCluster> StartAsync()
    {
        var binDir = FindBinDir() ?? throw new InvalidOperationException(InstallHint);
        var asPostgresUser = IsRoot();
        var root = Path.Combine(Path.GetTempPath(), "agent-sync-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (asPostgresUser)
        {
            // initdb refuses to run as root; the postgres user must own the directory it writes into.
            await RunAsync("chown", ["postgres:postgres", root]);
        }

        var probe = new PostgresCluster(binDir, root, asPostgresUser, 0);
        await probe.RunToolAsync("initdb", ["-D", probe.DataDir, "-U", PostgresServer.Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);

        // A free port can be taken between probing and binding; retry a few times with a new one.
        for (var attempt = 1; ; attempt++)
        {
            var port = PostgresServer.FreeLoopbackPort();
            var cluster = new PostgresCluster(binDir, root, asPostgresUser, port);
            try
            {
                await cluster.RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", cluster.DataDir, "-l", Path.Combine(root, "server.log"), "-o", cluster.ServerOptions()]);
                cluster.StartWatchdog();
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Stops the server (no checkpoint: the data is thrown away) and deletes the directory once this process has
    /// exited, however it exits. A detached watchdog does it, because the test host is killed soon after the run and
    /// a ProcessExit handler waiting for pg_ctl gets cut off, leaving servers and directories behind.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; root=$2; shift 2
            while kill -0 "$pid"; do sleep 0.5; done
            "$@"
            rm -rf "$root"
            """;
        var (fileName, stop) = ToolCommand("pg_ctl", ["stop", "-m", "immediate", "-w", "-t", "20", "-D", DataDir]);
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in (string[])["sh", "-c", script, "agent-sync-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _root, fileName, .. stop])
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid (not Linux): ask pg_ctl to stop at exit without waiting for it; the directory may stay behind.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                var stopStart = new ProcessStartInfo(fileName) { UseShellExecute = false, WorkingDirectory = _root };
                foreach (var argument in stop)
                    stopStart.ArgumentList.Add(argument);
                using var stopping = Process.Start(stopStart);
            };
        }
    }

    private string ServerOptions() => string.Join(' ',
        $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
        "-c listen_addresses=127.0.0.1",
        $"-c unix_socket_directories={_root}",
        "-c max_connections=300",
        // Durability is irrelevant for a cluster deleted at exit; speed is not.
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c shared_buffers=128MB");

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var (fileName, all) = ToolCommand(tool, arguments);
        return RunAsync(fileName, all, _root);
    }

    private (string FileName, IReadOnlyList<string> Arguments) ToolCommand(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDir, tool);
        return _asPostgresUser ? ("runuser", ["-u", "postgres", "--", path, .. arguments]) : (path, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user cannot read root's current directory; run where it owns the files.
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // pg_ctl's server inherits our environment; a locale the postgres user lacks makes it fail to start.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Read both pipes while waiting: a tool that fills one would otherwise block forever.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode == 0)
            return;
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2)));
        var output = string.Join(' ', new[] { stdout, stderr }.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.Trim()));
        throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output}");
    }

    private static string? FindBinDir()
    {
        try
        {
            var start = new ProcessStartInfo("pg_config", ["--bindir"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is not null)
            {
                var dir = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                if (process.ExitCode == 0 && File.Exists(Path.Combine(dir, "initdb")))
                    return dir;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config not on PATH (Debian puts it in libpq-dev); fall through to the Debian layout.
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
