using AgentSync.Merge;
using FsCheck.Xunit;

namespace AgentSync.Tests.Merge;

public sealed class MergeInternalsTests
{
    [Property(MaxTest = 300)]
    public void Myers_finds_a_longest_common_subsequence(byte[] x, byte[] y)
    {
        // A small alphabet makes many equal "lines", the hard case for a diff.
        var a = x.Select(v => v % 4).ToArray();
        var b = y.Select(v => v % 4).ToArray();

        var hunks = MyersDiff.Diff(a, b);

        var kept = 0;
        var (i, j) = (0, 0);
        foreach (var hunk in hunks)
        {
            Assert.Equal(hunk.BaseStart - i, hunk.SideStart - j);
            Assert.True(a.AsSpan(i, hunk.BaseStart - i).SequenceEqual(b.AsSpan(j, hunk.SideStart - j)));
            kept += hunk.BaseStart - i;
            (i, j) = (hunk.BaseEnd, hunk.SideEnd);
        }

        Assert.Equal(a.Length - i, b.Length - j);
        Assert.True(a.AsSpan(i).SequenceEqual(b.AsSpan(j)));
        kept += a.Length - i;
        Assert.Equal(LcsLength(a, b), kept);
    }

    [Fact]
    public void Headings_inside_fences_and_lookalikes_do_not_start_sections()
    {
        var lines = new LineTable();
        var ids = lines.Split(
            "intro\n" +
            "# Title\n" +
            "#hashtag is not a heading\n" +
            "    # indented code is not a heading\n" +
            "~~~~\n# inside a tilde fence\n~~~\n## still inside: the closing fence is too short\n~~~~\n" +
            "## Real\n" +
            "```bash\n# a shell comment\n```\n" +
            "####### seven hashes is not a heading\n" +
            "######\n");

        var sections = MarkdownSections.Parse(ids, lines);

        Assert.Equal(["", "# Title", "## Real", "######"], sections.Select(s => s.Key));
        Assert.Equal(["intro\n"], sections[0].Body.Select(id => lines[id]));
        Assert.Equal(7, sections[1].Body.Length);
        Assert.Equal(4, sections[2].Body.Length);
        Assert.Empty(sections[3].Body);
    }

    private static int LcsLength(int[] a, int[] b)
    {
        var row = new int[b.Length + 1];
        foreach (var value in a)
        {
            var diagonal = 0;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = value == b[j - 1] ? diagonal + 1 : Math.Max(row[j], row[j - 1]);
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
