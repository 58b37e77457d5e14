using System.Text;
using System.Text.RegularExpressions;

namespace AgentSync.Artifacts;

/// <summary>
/// Reads identity, title and state out of a file. The id comes from the file name first (INFRA-004-foo.md -> INFRA-004),
/// then from the first heading (<c># INFRA-004: Title</c>) or YAML <c>id:</c>; real files disagree with themselves
/// (INFRA-018.md titled "# INFRA-019: ..."), and the file name is what people and Git see.
/// </summary>
public static partial class ArtifactParser
{
    /// <summary>Null when <paramref name="relativePath"/> is not an artifact location or no id can be found.</summary>
    public static ArtifactFile? Parse(string relativePath, string content, ArtifactLocations locations) =>
        Identify(relativePath, content, locations) is { } file
            ? file with { State = StateField.Find(content, file.Kind == ArtifactKind.Journey)?.Value }
            : null;

    /// <summary>
    /// <see cref="Parse"/> without the state (null here), which is the costly part: finding it scans the whole text,
    /// and a pull only needs a new artifact's title to name its file before the real parse.
    /// </summary>
    public static ArtifactFile? Identify(string relativePath, string content, ArtifactLocations locations)
    {
        if (!locations.TryClassify(relativePath, out var kind, out var below))
            return null;
        var fileName = below[(below.LastIndexOf('/') + 1)..];
        var folderScope = ArtifactLocations.IsScoped(kind) ? below[..below.IndexOf('/')] : null;
        var yaml = kind == ArtifactKind.Journey;

        var heading = yaml ? null : FirstHeading().Match(content) is { Success: true } h ? h.Groups["text"].Value.Trim() : null;
        var id = IdFromFileName(fileName) ?? IdFromHeading(heading) ?? (yaml ? YamlField(content, "id") : null);
        if (id is null)
            return null;

        var scope = folderScope ?? ScopeOf(id) ?? kind.Name().ToUpperInvariant();
        var title = yaml ? YamlField(content, "title") ?? YamlField(content, "name") : TitleFromHeading(heading);
        title ??= Path.GetFileNameWithoutExtension(fileName);
        return new ArtifactFile(id, kind, scope, title, null, relativePath);
    }

    /// <summary>
    /// <see cref="Identify(string, string, ArtifactLocations)"/> of a text held as its UTF-8 bytes. Markdown is
    /// identified by its first heading, so only the lines up to it are decoded (a pull of 1,000 new artifacts decoded
    /// 8 MB of text for their titles); YAML is decoded whole.
    /// </summary>
    public static ArtifactFile? Identify(string relativePath, ReadOnlySpan<byte> utf8, ArtifactLocations locations)
    {
        var yaml = locations.TryClassify(relativePath, out var kind, out _) && kind == ArtifactKind.Journey;
        return Identify(relativePath, Encoding.UTF8.GetString(yaml ? utf8 : UpToFirstHeading(utf8)), locations);
    }

    /// <summary>The text through its first line that is not blank, where <see cref="FirstHeading"/> ends.</summary>
    private static ReadOnlySpan<byte> UpToFirstHeading(ReadOnlySpan<byte> utf8)
    {
        var start = 0;
        while (start < utf8.Length)
        {
            var end = utf8[start..].IndexOf((byte)'\n');
            var line = end < 0 ? utf8[start..] : utf8.Slice(start, end);
            if (!IsBlank(line) || end < 0)
                return end < 0 ? utf8 : utf8[..(start + end)];
            start += end + 1;
        }

        return utf8;
    }

    /// <summary>A line <see cref="FirstHeading"/> skips: spaces and tabs, then at most a carriage return.</summary>
    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var text = line.TrimStart(" \t"u8);
        return text.IsEmpty || text is [(byte)'\r'];
    }

    /// <summary>The scope part of an id (INFRA for INFRA-004), or null for bare numbers such as 128.</summary>
    public static string? ScopeOf(string id)
    {
        var dash = id.LastIndexOf('-');
        return dash > 0 ? id[..dash] : null;
    }

    /// <summary>The number part of an id (4 for INFRA-004), or null.</summary>
    public static long? NumberOf(string id)
    {
        var match = IdPattern().Match(id);
        return match.Success && long.TryParse(match.Groups["n"].Value, out var n) ? n : null;
    }

    private static string? IdFromFileName(string fileName)
    {
        var match = IdPattern().Match(fileName);
        return match.Success ? match.Groups["id"].Value : null;
    }

    private static string? IdFromHeading(string? heading)
    {
        if (heading is null)
            return null;
        var match = HeadingId().Match(heading);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The heading without its id ("# INFRA-004: Title" -> "Title", "# Plan: INFRA-999" -> "Plan").</summary>
    private static string? TitleFromHeading(string? heading)
    {
        if (string.IsNullOrWhiteSpace(heading))
            return null;
        var match = HeadingId().Match(heading);
        if (!match.Success)
            return heading;
        var title = string.Concat(heading.AsSpan(0, match.Index), " ", heading.AsSpan(match.Index + match.Length)).Trim(TitleSeparators);
        return title.Length > 0 ? title : null;
    }

    private static readonly char[] TitleSeparators = [':', ' ', '\t', '-', '—'];

    private static string? YamlField(string content, string name)
    {
        foreach (Match match in YamlScalar().Matches(content))
        {
            if (match.Groups["key"].Value == name)
                return match.Groups["value"].Value.Trim().Trim('"', '\'');
        }

        return null;
    }

    // INFRA-004, WEB-001, ADR-007, JRN-003 or a bare number (128-...), followed by the end, a dash-slug or a dot.
    [GeneratedRegex(@"^(?<id>(?:[A-Za-z][A-Za-z0-9]*-)?(?<n>\d+))(?=$|[-_.])", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    // "# INFRA-004: Title", "# STORY-INFRA-005: Title", "# 128: Title", "# Plan: INFRA-999".
    [GeneratedRegex(@"(?:STORY-|PLAN-)?(?<id>[A-Z][A-Z0-9]*-\d+|\d+)(?=$|[:\s])", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingId();

    [GeneratedRegex(@"\A(?:[ \t]*\r?\n)*#[ \t]+(?<text>[^\r\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex FirstHeading();

    [GeneratedRegex(@"^(?<key>[A-Za-z_]+):[ \t]*(?<value>[^\r\n#]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlScalar();
}
