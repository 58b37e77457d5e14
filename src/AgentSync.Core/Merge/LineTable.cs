namespace AgentSync.Merge;

/// <summary>
/// Interns lines of the three versions into small integers so that diffs compare ints, not strings.
/// A line keeps its terminator, so equal ids mean equal bytes and output can be rebuilt exactly.
/// </summary>
internal sealed class LineTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];

    public string this[int id] => _texts[id];

    public int[] Split(string text)
    {
        var ids = new List<int>(text.Length / 32 + 1);
        var start = 0;
        while (start < text.Length)
        {
            // Only LF ends a line, as in git: CRLF lines carry their CR, and a lone CR stays inside the line.
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            ids.Add(Intern(text[start..end]));
            start = end;
        }

        return [.. ids];
    }

    private int Intern(string line)
    {
        if (_ids.TryGetValue(line, out var id))
        {
            return id;
        }

        id = _texts.Count;
        _texts.Add(line);
        _ids.Add(line, id);
        return id;
    }
}
