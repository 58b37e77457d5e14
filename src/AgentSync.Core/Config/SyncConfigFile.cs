using System.Globalization;
using System.Text.RegularExpressions;
using AgentSync.Artifacts;
using AgentSync.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentSync.Config;

/// <summary>
/// Reads and writes <c>.agent/etc/sync.yaml</c>. The file is committed to Git, so it must never carry a key, token or
/// password: one that does is refused with the environment variable to use instead.
/// </summary>
public static partial class SyncConfigFile
{
    public const string Template = """
        # agent-sync settings for this repository. This file is committed to Git:
        # never put a key, token or password here. Credentials come from the environment:
        #   SUPABASE_SERVICE_ROLE_KEY, or SUPABASE_ANON_KEY + SUPABASE_ACCESS_TOKEN (Supabase REST)
        #   PGPASSWORD or ~/.pgpass (postgresql:// remotes)
        # Environment variables override these settings: AGENT_SYNC_REMOTE, AGENT_SYNC_PROJECT.

        # Where the team's shared copy lives; empty = this workspace is local only.
        #   file:../team-remote.db               an embedded SQLite file (one machine, demos)
        #   postgresql://agent@db.internal:5432/postgres
        #   https://<project-ref>.supabase.co
        remote:

        # The project on the remote; members of a project see only its artifacts.
        project: default

        # Largest artifact file accepted, in bytes.
        max_file_bytes: 1048576

        # Changes sent per request, and seconds before a remote call gives up.
        batch_size: 500
        timeout_seconds: 30

        # What to do with personal data (e-mail addresses, phone numbers, IPs, card numbers) before a push:
        #   block  - refuse to push the artifact and say where (default)
        #   redact - replace it with [REDACTED:EMAIL]-style tokens in the file first
        pii:
          policy: block
          allow_domains: []   # e.g. [acme.io]: addresses at the team's own domain are fine
          allow_kinds: []     # e.g. [ip-address]

        # Where each kind of artifact lives, relative to the repository root.
        locations:
          story: .agent/cache/stories
          plan: .agent/cache/plans
          runbook: .agent/cache/runbooks
          adr: .agent/adrs
          journey: .agent/cache/journeys

        """;

    private static readonly string[] Known =
    [
        "remote", "supabase_url", "supabase_table", "project", "max_file_bytes", "batch_size", "timeout_seconds",
        "new_id_timeout_seconds", "pii", "locations",
    ];

    /// <summary>Reads the settings (defaults when there is no file) with the environment applied.</summary>
    /// <remarks>Synchronous underneath: a file of a few KB read on the thread pool costs a thread hand-off at the start
    /// of every command.</remarks>
    public static Task<SyncConfig> LoadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(path) ? ApplyEnvironment(Parse(File.ReadAllText(path), path)) : ApplyEnvironment(SyncConfig.Default));
    }

    public static SyncConfig Parse(string text, string displayPath)
    {
        var root = ReadRoot(text, displayPath);
        var config = SyncConfig.Default;
        if (root is null)
            return config;

        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            RefuseCredential(displayPath, key, value);
            if (Array.IndexOf(Known, key) < 0)
                throw Error(displayPath, keyNode, $"unknown setting '{key}'; see the comments of 'agent sync init' for the settings");
            config = key switch
            {
                "remote" or "supabase_url" => Scalar(value) is { Length: > 0 } remote ? config with { Remote = CheckRemote(displayPath, value, remote) } : config,
                "project" => config with { Project = Scalar(value) ?? config.Project },
                "max_file_bytes" => config with { MaxFileBytes = Number(displayPath, value, 1, 64L * 1024 * 1024) },
                "batch_size" => config with { BatchSize = (int)Number(displayPath, value, 1, 1000) },
                "timeout_seconds" => config with { TimeoutSeconds = (int)Number(displayPath, value, 1, 3600) },
                "new_id_timeout_seconds" => config with { NewIdTimeoutSeconds = (int)Number(displayPath, value, 1, 600) },
                "pii" => ReadPii(displayPath, value, config),
                "locations" => config with { Locations = ReadLocations(displayPath, value) },
                _ => config,
            };
        }

        return config;
    }

    private static YamlMappingNode? ReadRoot(string text, string displayPath)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
                return null;
            return stream.Documents[0].RootNode as YamlMappingNode
                ?? throw SyncException.Usage($"{displayPath}: expected 'setting: value' lines; fix the file or delete it and run 'agent sync init'");
        }
        catch (YamlException e)
        {
            throw SyncException.Usage($"{displayPath}:{e.Start.Line}: malformed YAML ({FirstLine(e.Message)}); fix the file or delete it and run 'agent sync init'", e);
        }
    }

    private static SyncConfig ReadPii(string path, YamlNode node, SyncConfig config)
    {
        if (node is not YamlMappingNode map)
            throw Error(path, node, "'pii' must be a mapping with policy, allow_domains and allow_kinds");
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            config = key switch
            {
                "policy" => Scalar(value) is "block" or "redact" ? config with { PiiPolicy = Scalar(value)! }
                    : throw Error(path, value, "pii.policy must be 'block' or 'redact'"),
                "allow_domains" => config with { PiiAllowDomains = List(path, value) },
                "allow_kinds" => config with { PiiAllowKinds = List(path, value) },
                _ => throw Error(path, keyNode, $"unknown setting 'pii.{key}'; use policy, allow_domains or allow_kinds"),
            };
        }

        return config;
    }

    private static ArtifactLocations ReadLocations(string path, YamlNode node)
    {
        if (node is not YamlMappingNode map)
            throw Error(path, node, "'locations' must map kinds (story, plan, runbook, adr, journey) to folders");
        var locations = ArtifactLocations.Default;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            if (!ArtifactKinds.TryParse(key, out var kind))
                throw Error(path, keyNode, $"unknown kind '{key}' in locations; use story, plan, runbook, adr or journey");
            var folder = Scalar(value)?.Trim().TrimEnd('/') ?? "";
            if (folder.Length == 0 || Path.IsPathRooted(folder) || folder.Split('/').Contains(".."))
                throw Error(path, value, $"locations.{key} must be a folder inside the repository, such as .agent/cache/stories");
            locations = kind switch
            {
                ArtifactKind.Story => locations with { Stories = folder },
                ArtifactKind.Plan => locations with { Plans = folder },
                ArtifactKind.Runbook => locations with { Runbooks = folder },
                ArtifactKind.Adr => locations with { Adrs = folder },
                _ => locations with { Journeys = folder },
            };
        }

        return locations;
    }

    /// <summary>Keys and tokens belong in the environment: sync.yaml is committed and read by everyone.</summary>
    private static void RefuseCredential(string path, string key, YamlNode value)
    {
        var lower = key.ToLowerInvariant();
        var variable = lower switch
        {
            _ when lower.Contains("service_role", StringComparison.Ordinal) => "SUPABASE_SERVICE_ROLE_KEY",
            _ when lower.Contains("anon", StringComparison.Ordinal) => "SUPABASE_ANON_KEY",
            _ when lower.Contains("token", StringComparison.Ordinal) || lower.Contains("jwt", StringComparison.Ordinal) => "SUPABASE_ACCESS_TOKEN",
            _ when lower.Contains("password", StringComparison.Ordinal) || lower.Contains("passwd", StringComparison.Ordinal) => "PGPASSWORD (or ~/.pgpass)",
            _ when lower.Contains("key", StringComparison.Ordinal) || lower.Contains("secret", StringComparison.Ordinal) => "SUPABASE_SERVICE_ROLE_KEY or SUPABASE_ANON_KEY",
            _ => null,
        };
        if (variable is not null)
            throw Error(path, value, $"'{key}' looks like a credential; remove it from sync.yaml (it is committed to Git) and set {variable} in the environment instead");
        foreach (var scalar in Scalars(value))
        {
            if (JwtLike().IsMatch(scalar))
                throw Error(path, value, $"the value of '{key}' is a token; remove it from sync.yaml and set SUPABASE_SERVICE_ROLE_KEY or SUPABASE_ACCESS_TOKEN in the environment instead");
        }
    }

    private static string CheckRemote(string path, YamlNode node, string remote)
    {
        if (PasswordInUrl().IsMatch(remote))
            throw Error(path, node, "the remote URL contains a password; remove it from sync.yaml and set PGPASSWORD (or use ~/.pgpass) instead");
        return remote;
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } v } => [v],
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        YamlMappingNode map => map.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    private static string? Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    private static List<string> List(string path, YamlNode node) => node switch
    {
        YamlSequenceNode seq => [.. seq.Children.Select(c => Scalar(c) ?? throw Error(path, c, "expected a list of plain values"))],
        YamlScalarNode { Value: null or "" } => [],
        _ => throw Error(path, node, "expected a list such as [acme.io, acme.dev]"),
    };

    private static long Number(string path, YamlNode node, long min, long max)
    {
        if (Scalar(node) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        throw Error(path, node, $"expected a whole number from {min} to {max}");
    }

    private static SyncException Error(string path, YamlNode node, string message) =>
        SyncException.Usage($"{path}:{node.Start.Line}: {message}");

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>Environment variables override the file, so CI and one-off runs need no edit.</summary>
    private static SyncConfig ApplyEnvironment(SyncConfig config)
    {
        var remote = Environment.GetEnvironmentVariable("AGENT_SYNC_REMOTE");
        var project = Environment.GetEnvironmentVariable("AGENT_SYNC_PROJECT");
        if (!string.IsNullOrWhiteSpace(remote))
        {
            if (PasswordInUrl().IsMatch(remote))
                throw SyncException.Usage("AGENT_SYNC_REMOTE contains a password; set PGPASSWORD (or use ~/.pgpass) instead");
            config = config with { Remote = remote.Trim() };
        }

        return string.IsNullOrWhiteSpace(project) ? config : config with { Project = project.Trim() };
    }

    public static async Task WriteSettingAsync(string path, string key, string value, CancellationToken cancellationToken)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : Template;
        var line = new Regex($"^{Regex.Escape(key)}:.*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var replacement = $"{key}: {value}";
        text = line.IsMatch(text) ? line.Replace(text, replacement, 1) : text + replacement + "\n";
        Parse(text, path);
        await Workspace.AtomicFile.WriteTextAsync(path, text, cancellationToken);
    }

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.", RegexOptions.CultureInvariant)]
    private static partial Regex JwtLike();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInUrl();
}
