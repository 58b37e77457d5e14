namespace AgentSync.Bench.GitSync;

/// <summary>
/// One system under test in the two-developer scenario: Alice creates 1,000 artifacts and shares them, Bob takes them,
/// Alice edits 100 and shares again, Bob takes those, then Bob asks once more with nothing new.
/// </summary>
internal abstract class SyncScenario(string root)
{
    public const int Count = 1000;
    public const int Edited = 100;

    public static readonly string[] Steps = ["push 1,000 new", "pull 1,000 new", "push 100 edits", "pull 100 edits", "pull, nothing new"];

    protected string Alice { get; } = Path.Combine(root, "alice");

    protected string Bob { get; } = Path.Combine(root, "bob");

    protected string Root { get; } = root;

    /// <summary>Both workspaces ready, nothing shared yet; untimed.</summary>
    public abstract Task PrepareAsync();

    public abstract Task<double> PushAsync();

    public abstract Task<double> PullAsync();

    /// <summary>Runs the five steps and returns their wall times in seconds, in <see cref="Steps"/> order.</summary>
    public async Task<double[]> RunAsync(IReadOnlyList<string> contents)
    {
        await PrepareAsync();
        WriteArtifacts(Alice, contents);
        var times = new double[Steps.Length];
        times[0] = await PushAsync();
        times[1] = await PullAsync();
        Check(Bob, contents);
        var edited = contents.Select((c, i) => i < Edited ? c + $"\nEdited by Alice: round two, item {i + 1}.\n" : c).ToList();
        WriteArtifacts(Alice, edited);
        times[2] = await PushAsync();
        times[3] = await PullAsync();
        Check(Bob, edited);
        times[4] = await PullAsync();
        return times;
    }

    protected static async Task GitInitAsync(string directory, string who)
    {
        Directory.CreateDirectory(directory);
        await Proc.RunAsync(directory, "git", "init", "-q", "-b", "main");
        await Proc.RunAsync(directory, "git", "config", "user.email", who + "@example.com");
        await Proc.RunAsync(directory, "git", "config", "user.name", who);
    }

    private static string ArtifactPath(string workspace, int index) =>
        Path.Combine(workspace, ".agent", "cache", "stories", "BENCH", $"BENCH-{index + 1:D4}.md");

    /// <summary>Writes only what differs, so an edit round touches exactly the edited files.</summary>
    private static void WriteArtifacts(string workspace, IReadOnlyList<string> contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ArtifactPath(workspace, 0))!);
        for (var i = 0; i < contents.Count; i++)
        {
            var path = ArtifactPath(workspace, i);
            if (!File.Exists(path) || File.ReadAllText(path) != contents[i])
                File.WriteAllText(path, contents[i]);
        }
    }

    /// <summary>A step that did not deliver is a broken bench, not a fast one.</summary>
    private static void Check(string workspace, IReadOnlyList<string> contents)
    {
        // Remotes that do not keep the path (Postgres, REST) name Bob's file after the id and the title.
        var folder = Path.GetDirectoryName(ArtifactPath(workspace, 0))!;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.md") : [];
        var byId = files.ToLookup(f => Path.GetFileName(f)[..Math.Min(10, Path.GetFileName(f).Length)], StringComparer.Ordinal);
        for (var i = 0; i < contents.Count; i++)
        {
            var id = $"BENCH-{i + 1:D4}";
            var matches = byId[id].ToList();
            if (matches.Count != 1 || File.ReadAllText(matches[0]) != contents[i])
                throw new InvalidOperationException($"{id} in {folder} is missing, doubled or differs from Alice's after the pull");
        }
    }
}
