namespace AgentSync.Merge;

/// <summary>Chooses the line ending for conflict markers: the one the file mostly uses.</summary>
internal static class LineEndings
{
    public static string Dominant(params ReadOnlySpan<string> texts)
    {
        foreach (var text in texts)
        {
            var lf = text.AsSpan().Count('\n');
            if (lf == 0)
            {
                continue;
            }

            var crlf = text.AsSpan().Count("\r\n");
            return crlf * 2 > lf ? "\r\n" : "\n";
        }

        return "\n";
    }
}
