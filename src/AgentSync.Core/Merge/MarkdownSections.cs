namespace AgentSync.Merge;

/// <summary>Splits a document at ATX headings (<c>#</c> to <c>######</c>) that are not inside fenced code blocks.</summary>
internal static class MarkdownSections
{
    public static List<Section> Parse(int[] ids, LineTable lines)
    {
        var sections = new List<Section>();
        var start = 0;
        int? heading = null;
        var key = string.Empty;
        var fence = default(Fence?);
        for (var i = 0; i < ids.Length; i++)
        {
            var text = lines[ids[i]].TrimEnd('\n', '\r');
            if (fence is { } open)
            {
                if (IsClosingFence(text, open))
                {
                    fence = null;
                }

                continue;
            }

            fence = OpeningFence(text);
            if (fence is null && IsHeading(text))
            {
                sections.Add(new Section(heading, key, ids[start..i]));
                heading = ids[i];
                key = text.Trim();
                start = i + 1;
            }
        }

        sections.Add(new Section(heading, key, ids[start..]));
        return sections;
    }

    internal static bool IsHeading(string text)
    {
        var i = Indentation(text);
        if (i > 3)
        {
            return false;
        }

        var hashes = 0;
        while (i + hashes < text.Length && text[i + hashes] == '#')
        {
            hashes++;
        }

        var after = i + hashes;
        return hashes is >= 1 and <= 6 && (after == text.Length || text[after] is ' ' or '\t');
    }

    private static Fence? OpeningFence(string text)
    {
        var i = Indentation(text);
        if (i > 3 || i >= text.Length || text[i] is not ('`' or '~'))
        {
            return null;
        }

        var marker = text[i];
        var length = Run(text, i, marker);

        // CommonMark: a backtick fence's info string may not contain a backtick (that is inline code instead).
        if (length < 3 || marker == '`' && text.IndexOf('`', i + length) >= 0)
        {
            return null;
        }

        return new Fence(marker, length);
    }

    private static bool IsClosingFence(string text, Fence fence)
    {
        var i = Indentation(text);
        if (i > 3)
        {
            return false;
        }

        var length = Run(text, i, fence.Marker);
        return length >= fence.Length && string.IsNullOrWhiteSpace(text[(i + length)..]);
    }

    private static int Indentation(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static int Run(string text, int start, char marker)
    {
        var i = start;
        while (i < text.Length && text[i] == marker)
        {
            i++;
        }

        return i - start;
    }

    private readonly record struct Fence(char Marker, int Length);
}
