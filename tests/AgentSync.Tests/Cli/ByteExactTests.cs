using System.Text;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Cli;

public sealed class ByteExactTests
{
    public static TheoryData<string, byte[]> Shapes() => new()
    {
        { "crlf", Encoding.UTF8.GetBytes("# INFRA-001: Crlf\r\n\r\n## State\r\n\r\nDRAFT\r\n") },
        { "bom", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("# INFRA-002: Bom\n\n## State\n\nDRAFT\n")] },
        { "no-final-newline", Encoding.UTF8.GetBytes("# INFRA-003: No newline\n\n## State\n\nDRAFT") },
        { "mixed-endings", Encoding.UTF8.GetBytes("# INFRA-004: Mixed\r\n\n## State\r\nDRAFT\n\r\n") },
        { "unicode", Encoding.UTF8.GetBytes("# INFRA-005: Ünïcödé — “quotes” 🚀\n\n## State\n\nDRAFT\n\ttabs\u00a0nbsp\n") },
        { "empty-lines-only", Encoding.UTF8.GetBytes("\n\n\n") },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Import_then_export_reproduces_every_byte(string name, byte[] bytes)
    {
        using var workspace = new TempWorkspace();
        var relative = $".agent/cache/stories/INFRA/INFRA-00{Shapes().ToList().FindIndex(r => (string)r[0] == name) + 1}-{name}.md";
        workspace.WriteBytes(relative, bytes);

        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var export = Path.Combine(workspace.Root, "out");
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "export", "--dir", export);
        File.Delete(workspace.PathOf(relative));
        var restore = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "export");

        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(export, relative)));
        Assert.Equal(0, restore.ExitCode);
        Assert.Equal(bytes, workspace.ReadBytes(relative));
    }

    [Fact]
    public async Task Export_into_the_workspace_restores_missing_files_and_never_overwrites_an_unrecorded_edit()
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-a.md", "# INFRA-001: A\n");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-002-b.md", "# INFRA-002: B\n");
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-a.md", "# INFRA-001: A, edited and not recorded\n");
        File.Delete(workspace.PathOf(".agent/cache/stories/INFRA/INFRA-002-b.md"));

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "export");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("# INFRA-001: A, edited and not recorded\n", workspace.Read(".agent/cache/stories/INFRA/INFRA-001-a.md"));
        Assert.Equal("# INFRA-002: B\n", workspace.Read(".agent/cache/stories/INFRA/INFRA-002-b.md"));
    }

    [Fact]
    public async Task Export_writes_atomically_and_leaves_no_temporary_files()
    {
        using var workspace = new TempWorkspace(withCorpus: true);
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var export = Path.Combine(workspace.Root, "out");

        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "export", "--dir", export);

        Assert.Empty(Directory.EnumerateFiles(export, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(export, ".*", SearchOption.AllDirectories));
    }
}
