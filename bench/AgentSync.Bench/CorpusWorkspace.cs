using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentSync.Bench;

/// <summary>
/// A temporary Git repository holding N artifacts copied from the real corpus, cycling through its files and giving
/// each copy a fresh id (INFRA-1000, INFRA-1001, ...) in its file name and first heading, so every id is unique.
/// </summary>
internal sealed partial class CorpusWorkspace : IDisposable
{
    private const string CorpusTail = "shared/corpus/agentic-dev/.agent/cache";

    private CorpusWorkspace(string scratch, int count, IReadOnlyList<string> paths)
    {
        Scratch = scratch;
        Root = Path.Combine(scratch, "repo");
        Count = count;
        Paths = paths;
    }

    /// <summary>The temporary folder around the repository, for exports and copies of the cache.</summary>
    public string Scratch { get; }

    /// <summary>The repository root.</summary>
    public string Root { get; }

    public int Count { get; }

    /// <summary>Workspace-relative paths of the artifacts, '/'-separated.</summary>
    public IReadOnlyList<string> Paths { get; }

    public bool Keep { get; set; }

    /// <summary>The corpus cache folder: the given one, else a sibling <c>shared/corpus</c> of the current directory or the bench.</summary>
    public static string FindCorpus(string? given)
    {
        if (given is not null)
            return Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"corpus {given} does not exist");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, CorpusTail);
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no {CorpusTail} found above {Directory.GetCurrentDirectory()}; pass --corpus DIR");
    }

    public static CorpusWorkspace Create(string corpus, int count)
    {
        var sources = Directory.EnumerateFiles(corpus, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(corpus, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(r => r.Count(c => c == '/') == 2 && IdPrefix().IsMatch(Path.GetFileName(r)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (sources.Count == 0)
            throw new InvalidOperationException($"{corpus} holds no <kind>/<SCOPE>/<ID>-*.md files");

        var scratch = Path.Combine(Path.GetTempPath(), $"agent-bench-{Guid.NewGuid():N}");
        var root = Path.Combine(scratch, "repo");
        var texts = sources.ToDictionary(s => s, s => File.ReadAllText(Path.Combine(corpus, s)), StringComparer.Ordinal);
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var source = sources[i % sources.Count];
            var parts = source.Split('/');
            var (folder, scope, name) = (parts[0], parts[1], parts[2]);
            var oldId = IdPrefix().Match(name).Groups["id"].Value;
            var newId = $"{scope}-{(1000 + i).ToString(CultureInfo.InvariantCulture)}";
            var newName = string.Concat(newId, name.AsSpan(oldId.Length));
            var relative = $".agent/cache/{folder}/{scope}/{newName}";
            var full = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, RenameInHeading(texts[source], oldId, newId));
            paths.Add(relative);
        }

        return new CorpusWorkspace(scratch, count, paths);
    }

    /// <summary>Replaces the id in the first heading only; mentions of other artifacts in the body stay as they are.</summary>
    private static string RenameInHeading(string text, string oldId, string newId)
    {
        var heading = FirstHeading().Match(text);
        if (!heading.Success)
            return text;
        var at = text.IndexOf(oldId, heading.Index, heading.Length, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), newId, text.AsSpan(at + oldId.Length));
    }

    public void Dispose()
    {
        if (Keep || !Directory.Exists(Scratch))
            return;
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"bench: could not remove {Scratch}: {e.Message}");
        }
    }

    [GeneratedRegex(@"^(?<id>[A-Za-z][A-Za-z0-9]*-\d+)(?=$|[-_.])", RegexOptions.CultureInvariant)]
    private static partial Regex IdPrefix();

    [GeneratedRegex(@"^#[ \t]+[^\r\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FirstHeading();
}
