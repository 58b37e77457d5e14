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
        (from story in Story()
         from owners in Gen.Choose(0, 2).ArrayOf(story.Bodies.Length)
         from edits in Gen.Choose(0, 999).ArrayOf(48)
         select EditSections(story, owners, edits))
        .ToArbitrary();

    public static Arbitrary<LineEditScenario> LineEdits() =>
        (from story in Story()
         from owners in Gen.Choose(0, 2).ArrayOf(64)
         from edits in Gen.Choose(0, 999).ArrayOf(64)
         select EditLines(story, owners, edits))
        .ToArbitrary();

    public static Arbitrary<ConcurrentEditScenario> ConcurrentEdits() =>
        (from story in Story()
         from localOwned in Gen.Elements(true, false).ArrayOf(story.Bodies.Length)
         from remoteOwned in Gen.Elements(true, false).ArrayOf(story.Bodies.Length)
         from edits in Gen.Choose(0, 9).ArrayOf(96)
         from remoteStart in Gen.Elements(0, 0, 1, 48)
         select EditConcurrently(story, localOwned, remoteOwned, edits, remoteStart))
        .ToArbitrary();

    public static Arbitrary<RestructuredScenario> Restructured() =>
        (from story in Story()
         from edits in Gen.Choose(0, 999).ArrayOf(48)
         from operations in Gen.Choose(0, 999).ArrayOf(12)
         select Restructure(story, edits, operations))
        .ToArbitrary();

    private static Gen<StoryShape> Story() =>
        from sectionCount in Gen.Choose(1, 7)
        from bodies in Gen.Choose(0, 5).ArrayOf().Select(a => a.Take(7).ToArray()).ArrayOf(sectionCount + 1)
        from endings in Gen.Choose(0, 2)
        from trailingNewline in Gen.Elements(true, true, false)
        from bom in Gen.Elements(false, false, false, true)
        select new StoryShape(bodies, endings, trailingNewline, bom);

    /// <summary>Each section is edited by local, by remote, or by nobody.</summary>
    private static MergeScenario EditSections(StoryShape shape, int[] owners, int[] edits)
    {
        var (@base, line) = Render(shape);
        var local = @base;
        var remote = @base;
        var next = 0;
        int Draw() => edits[next++ % edits.Length];
        for (var s = 0; s < @base.Sections.Count; s++)
        {
            if (owners[s] == 0)
            {
                continue;
            }

            var who = owners[s] == 1 ? "local" : "remote";
            var section = @base.Sections[s];
            for (var n = Draw() % 3; n >= 0; n--)
            {
                section = EditSection(section, who, Draw(), Draw(), line);
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

        var expected = @base with { Sections = [.. @base.Sections.Select((_, i) => owners[i] == 1 ? local.Sections[i] : remote.Sections[i])] };
        return new MergeScenario(@base, local, remote, expected);
    }

    /// <summary>
    /// Both sides edit whichever sections they like, the same ones included: a merge with no known answer. Edits
    /// are drawn from a few positions near the top of each section, often the same ones, so that they collide.
    /// </summary>
    private static ConcurrentEditScenario EditConcurrently(StoryShape shape, bool[] localOwned, bool[] remoteOwned, int[] edits, int remoteStart)
    {
        var (@base, line) = Render(shape);
        var next = 0;
        int Draw() => edits[next++ % edits.Length];
        MarkdownDocument Edit(bool[] owned, string who, int start)
        {
            var document = @base;
            for (var s = 0; s < @base.Sections.Count; s++)
            {
                if (owned[s])
                {
                    // Both sides drawing from the same start make the same edits at the same places, in their own words.
                    next = start + 7 * s;
                    var section = @base.Sections[s];
                    for (var n = Draw() % 3; n >= 0; n--)
                    {
                        section = EditSection(section, who, Draw(), Draw(), line);
                    }

                    document = document.WithSection(s, section);
                }
            }

            return document;
        }

        return new ConcurrentEditScenario(@base, Edit(localOwned, "local", 0), Edit(remoteOwned, "remote", remoteStart));
    }

    /// <summary>
    /// Sections deleted, moved, added or added under a heading that already exists, on top of line edits: the
    /// shapes of change that section matching has to get right.
    /// </summary>
    private static RestructuredScenario Restructure(StoryShape shape, int[] edits, int[] operations)
    {
        var scenario = EditSections(shape, [.. shape.Bodies.Select(_ => 1)], edits);
        var (_, line) = Render(shape);
        var sections = scenario.Local.Sections.ToList();
        for (var i = 0; i + 2 < operations.Length; i += 3)
        {
            // The preamble stays first: it is what comes before any heading.
            var at = 1 + operations[i + 1] % Math.Max(1, sections.Count - 1);
            switch (operations[i] % 4)
            {
                case 0 when sections.Count > 1:
                    sections.RemoveAt(at);
                    break;
                case 1 when sections.Count > 2:
                    var moved = sections[at];
                    sections.RemoveAt(at);
                    sections.Insert(1 + operations[i + 2] % (sections.Count - 1), moved);
                    break;
                case 2:
                    sections.Insert(Math.Min(at, sections.Count), new DocSection(line($"## Added section {operations[i + 2]}"), [line(BodyText(operations[i + 2] % 6, i))]));
                    break;
                case 3 when sections.Count > 1:
                    sections.Insert(Math.Min(at + 1, sections.Count), sections[at] with { Body = [line(BodyText(operations[i + 2] % 6, i))] });
                    break;
                default:
                    break;
            }
        }

        return new RestructuredScenario(scenario.Base, scenario.Local with { Sections = sections });
    }

    /// <summary>
    /// Each line is rewritten, ticked or deleted by local, by remote, or left alone, wherever it is, so that
    /// neighbours in one section are edited by different sides. Blank lines are left alone: which of two equal
    /// blank lines was rewritten is anyone's guess, and a diff may guess the neighbour the other side edited.
    /// </summary>
    private static LineEditScenario EditLines(StoryShape shape, int[] owners, int[] edits)
    {
        var (@base, line) = Render(shape);
        var lastLine = @base.Sections[^1].Body.LastOrDefault() ?? @base.Sections[^1].Heading;
        List<DocSection> local = [], remote = [], expected = [];
        var n = 0;
        foreach (var section in @base.Sections)
        {
            var heading = section.Heading;
            var (localHeading, remoteHeading, expectedHeading) = (heading, heading, heading);
            if (heading is not null)
            {
                var owner = owners[n % owners.Length];
                (localHeading, remoteHeading, expectedHeading) = Apply(owner, heading, heading with { Text = $"{heading.Text} (renamed by {Who(owner)} {n})" });
                n++;
            }

            List<DocLine> localBody = [], remoteBody = [], expectedBody = [];
            foreach (var original in section.Body)
            {
                var owner = owners[n % owners.Length];
                var edited = (edits[n % edits.Length] % 3) switch
                {
                    _ when original.Text.Length == 0 => original,
                    0 => line($"Line rewritten by {Who(owner)} {n}.") with { Eol = original.Eol },
                    1 when original.Text.StartsWith("- [ ]", StringComparison.Ordinal) => original with { Text = "- [x]" + original.Text[5..] },
                    // In a file of mixed endings without a final newline, deleting the last line leaves the line before
                    // it unterminated, and which ending it had is lost: that is an edit of it, not a neighbour's.
                    2 when !(ReferenceEquals(original, lastLine) && shape.Endings == 2 && !shape.TrailingNewline) => null,
                    _ => original,
                };
                n++;
                var (l, r, e) = Apply(owner, original, edited);
                AddIfKept(localBody, l);
                AddIfKept(remoteBody, r);
                AddIfKept(expectedBody, e);
            }

            local.Add(new DocSection(localHeading, localBody));
            remote.Add(new DocSection(remoteHeading, remoteBody));
            expected.Add(new DocSection(expectedHeading, expectedBody));
        }

        return new LineEditScenario(new MergeScenario(@base, @base with { Sections = local }, @base with { Sections = remote }, @base with { Sections = expected }));
    }

    private static (DocLine? Local, DocLine? Remote, DocLine? Expected) Apply(int owner, DocLine original, DocLine? edited) => owner switch
    {
        1 => (edited, original, edited),
        2 => (original, edited, edited),
        _ => (original, original, original),
    };

    private static void AddIfKept(List<DocLine> body, DocLine? line)
    {
        if (line is not null)
        {
            body.Add(line);
        }
    }

    private static string Who(int owner) => owner == 1 ? "local" : "remote";

    private static (MarkdownDocument Base, Func<string, DocLine> Line) Render(StoryShape shape)
    {
        var counter = 0;
        DocLine Line(string text)
        {
            counter++;
            var eol = shape.Endings switch { 0 => "\n", 1 => "\r\n", _ => counter % 3 == 0 ? "\r\n" : "\n" };
            return new DocLine(text, eol);
        }

        var sections = new List<DocSection>();
        for (var s = 0; s < shape.Bodies.Length; s++)
        {
            var heading = s switch
            {
                0 => null,
                1 => Line($"# STORY-{shape.Bodies.Length}: Generated story"),
                _ => Line($"## {SectionNames[s % SectionNames.Length]} {s}"),
            };
            sections.Add(new DocSection(heading, [.. shape.Bodies[s].Select(kind => Line(BodyText(kind, counter)))]));
        }

        return (new MarkdownDocument(sections, shape.TrailingNewline, shape.Bom), Line);
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
