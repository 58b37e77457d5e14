namespace AgentSync.Merge;

/// <summary>The line ending the file mostly uses: for conflict markers, and to close an unterminated last line.</summary>
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
