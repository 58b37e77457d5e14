using System.Text;

namespace AgentSync.Artifacts;

public static class Slug
{
    /// <summary>A lower-case, dash-separated file-name slug of at most 60 characters (ASCII letters and digits only).</summary>
    public static string Of(string title)
    {
        var builder = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
                builder.Append(char.ToLowerInvariant(c));
            else if (c is ' ' or '-' or '_' or '/' or '.' or ':' && builder.Length > 0 && builder[^1] != '-')
                builder.Append('-');
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length <= 60 ? slug : slug[..60].TrimEnd('-');
    }
}
