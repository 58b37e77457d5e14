namespace AgentSync.Scrubbing;

/// <summary>Enough of a match to recognise it in the file, never enough to reuse it.</summary>
internal static class Preview
{
    private const string Mask = "****";

    public static string Of(ReadOnlySpan<char> match)
    {
        // At most a quarter of the match shows (two ends of up to four characters: enough for a provider prefix such as
        // ghp_ or AKIA), and a fixed-width mask hides the length too.
        var keep = Math.Min(4, match.Length / 8);
        return string.Concat(Printable(match[..keep]), Mask, Printable(match[^keep..]));
    }

    // A private key spans lines; a preview must stay on one.
    private static string Printable(ReadOnlySpan<char> part)
    {
        Span<char> buffer = stackalloc char[part.Length];
        for (var i = 0; i < part.Length; i++)
            buffer[i] = char.IsControl(part[i]) ? ' ' : part[i];
        return new string(buffer);
    }
}
