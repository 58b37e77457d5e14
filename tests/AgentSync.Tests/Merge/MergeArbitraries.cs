using FsCheck;
using FsCheck.Fluent;

namespace AgentSync.Tests.Merge;

/// <summary>
/// Generates stories shaped like the corpus (a title, sections of checkboxes, bullets, paragraphs and blank
/// lines) in LF, CRLF or mixed endings, with or without a final newline or a BOM, and edits them line by line.
/// Everything is drawn as small integers so that FsCheck can shrink a failure to a short document.
/// </summary>
public static class MergeArbitraries
{
    private static readonly string[] SectionNames =
        ["State", "Problem Statement", "User Story", "Acceptance Criteria", "Non-Functional Requirements", "Linked ADRs", "Impact Analysis Summary", "Test Strategy", "Rollback Plan"];

    public static Arbitrary<MergeScenario> Scenario() =>
        (from sectionCount in Gen.Choose(1, 7)
         from bodies in Gen.Choose(0, 5).ArrayOf().Select(a => a.Take(7).ToArray()).ArrayOf(sectionCount + 1)
         from endings in Gen.Choose(0, 2)
         from trailingNewline in Gen.Elements(true, true, false)
         from bom in Gen.Elements(false, false, false, true)
         from owners in Gen.Choose(0, 2).ArrayOf(sectionCount + 1)
         from edits in Gen.Choose(0, 999).ArrayOf(48)
         select Build(bodies, endings, trailingNewline, bom, owners, edits))
        .ToArbitrary();

    private static MergeScenario Build(int[][] bodies, int endings, bool trailingNewline, bool bom, int[] owners, int[] edits)
    {
        var counter = 0;
        string Eol() => endings switch { 0 => "\n", 1 => "\r\n", _ => counter % 3 == 0 ? "\r\n" : "\n" };
        DocLine Line(string text)
        {
            counter++;
            return new DocLine(text, Eol());
        }

        var sections = new List<DocSection>();
        for (var s = 0; s < bodies.Length; s++)
        {
            var heading = s switch
            {
                0 => null,
                1 => Line($"# STORY-{bodies.Length}: Generated story"),
                _ => Line($"## {SectionNames[s % SectionNames.Length]} {s}"),
            };
            sections.Add(new DocSection(heading, [.. bodies[s].Select(kind => Line(BodyText(kind, counter)))]));
        }

        var @base = new MarkdownDocument(sections, trailingNewline, bom);
        var local = @base;
        var remote = @base;
        var next = 0;
        int Draw() => edits[next++ % edits.Length];
        for (var s = 0; s < sections.Count; s++)
        {
            if (owners[s] == 0)
            {
                continue;
            }

            var who = owners[s] == 1 ? "local" : "remote";
            var section = sections[s];
            for (var n = Draw() % 3; n >= 0; n--)
            {
                section = EditSection(section, who, Draw(), Draw(), Line);
            }

            if (owners[s] == 1)
            {
                local = local.WithSection(s, section);
            }
            else
            {
                remote = remote.WithSection(s, section);
            }
        }

        var expected = @base with { Sections = [.. sections.Select((_, i) => owners[i] == 1 ? local.Sections[i] : remote.Sections[i])] };
        return new MergeScenario(@base, local, remote, expected);
    }

    private static string BodyText(int kind, int n) => kind switch
    {
        0 => "",
        1 => $"- [ ] Criterion {n}: the command reports progress.",
        2 => $"- [x] Criterion {n}: the command exits with 0.",
        3 => $"- **Item {n}**: `agent sync push` is idempotent.",
        4 => $"Paragraph {n} explains why the cache is rebuilt.",
        _ => $"{n}. Step {n} of the rollback.",
    };

    private static DocSection EditSection(DocSection section, string who, int op, int at, Func<string, DocLine> line)
    {
        var body = section.Body.ToList();
        switch (op % 5)
        {
            case 0 when body.Count > 0:
                body[at % body.Count] = line($"Line rewritten by {who} {at}.") with { Eol = body[at % body.Count].Eol };
                break;
            case 1:
                body.Insert(at % (body.Count + 1), line($"- [ ] Criterion added by {who} {at}."));
                break;
            case 2 when body.Count > 0:
                body.RemoveAt(at % body.Count);
                break;
            case 3 when section.Heading is { } heading:
                return section with { Heading = heading with { Text = $"{heading.Text} (renamed by {who} {at})" } };
            default:
                var box = body.FindIndex(l => l.Text.StartsWith("- [ ]", StringComparison.Ordinal));
                if (box >= 0)
                {
                    body[box] = body[box] with { Text = "- [x]" + body[box].Text[5..] };
                }

                break;
        }

        return section with { Body = body };
    }
}
