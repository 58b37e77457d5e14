using System.Text;

namespace AgentSync.Tests.Merge;

/// <summary>A line of a generated document with its own terminator, so mixed endings survive edits.</summary>
public sealed record DocLine(string Text, string Eol);

/// <summary>A generated section: a heading (none for the preamble) and its body.</summary>
public sealed record DocSection(DocLine? Heading, IReadOnlyList<DocLine> Body);

/// <summary>A markdown-ish story; rendering it is the only way the tests turn it into text.</summary>
public sealed record MarkdownDocument(IReadOnlyList<DocSection> Sections, bool TrailingNewline, bool Bom)
{
    public string Render()
    {
        var text = new StringBuilder(Bom ? "\uFEFF" : "");
        var lines = Sections.SelectMany(s => s.Heading is null ? s.Body : [s.Heading, .. s.Body]).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(lines[i].Text);
            if (TrailingNewline || i < lines.Count - 1)
            {
                text.Append(lines[i].Eol);
            }
        }

        return text.ToString();
    }

    public MarkdownDocument WithSection(int index, DocSection section) =>
        this with { Sections = [.. Sections.Select((s, i) => i == index ? section : s)] };

    public override string ToString() => Render();
}
