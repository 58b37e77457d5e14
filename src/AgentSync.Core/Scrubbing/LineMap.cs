namespace AgentSync.Scrubbing;

/// <summary>Turns an offset into a 1-based line and column, counting \n, \r\n and a lone \r as one line break each.</summary>
internal sealed class LineMap
{
    private readonly List<int> _lineStarts = [0];

    public LineMap(string content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\n' || (c == '\r' && (i + 1 == content.Length || content[i + 1] != '\n')))
                _lineStarts.Add(i + 1);
        }
    }

    public (int Line, int Column) Locate(int index)
    {
        var found = _lineStarts.BinarySearch(index);
        var line = found >= 0 ? found : ~found - 1;
        return (line + 1, index - _lineStarts[line] + 1);
    }
}
