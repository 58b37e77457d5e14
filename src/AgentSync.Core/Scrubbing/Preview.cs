namespace AgentSync.Scrubbing;

/// <summary>Enough of a match to recognise it in the file, never enough to reuse it.</summary>
internal static class Preview
{
    private const string Mask = "****";

    public static string Of(ReadOnlySpan<char> match)
    {
        // A fixed-width mask hides the length too; short matches show fewer characters so most of them stays hidden.
        var keep = match.Length switch
        {
            >= 16 => 4,
            >= 8 => 2,
            >= 4 => 1,
            _ => 0,
        };
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
