using System.Text;
using System.Text.Json;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Cli;

/// <summary>Each bad input: one line on stderr naming the file and what to do, exit 2, and the good files still go in.</summary>
public sealed class BadInputTests
{
    private const string Good = ".agent/cache/stories/INFRA/INFRA-010-good.md";

    private static async Task<(CliResult Result, string List)> ImportWithAsync(TempWorkspace workspace, string relative, byte[] bytes)
    {
        workspace.Write(Good, "# INFRA-010: Good\n\n## State\n\nDRAFT\n");
        workspace.WriteBytes(relative, bytes);
        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");
        var list = await AgentCli.RunInProcessAsync(workspace.Root, null, "list");
        return (result, list.Out);
    }

    private static void AssertOneLine(CliResult result, string file, string advice)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(advice, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        using var workspace = new TempWorkspace();
        const string bad = ".agent/cache/stories/INFRA/INFRA-011-latin1.md";

        var (result, list) = await ImportWithAsync(workspace, bad, [.. Encoding.ASCII.GetBytes("# INFRA-011: caf"), 0xE9, (byte)'\n']);

        AssertOneLine(result, bad, "re-save it as UTF-8");
        Assert.Contains("INFRA-010", list, StringComparison.Ordinal);
        Assert.DoesNotContain("INFRA-011", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_file_is_refused()
    {
        using var workspace = new TempWorkspace();
        const string bad = ".agent/cache/stories/INFRA/INFRA-012-image.md";

        var (result, list) = await ImportWithAsync(workspace, bad, [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A]);

        AssertOneLine(result, bad, "binary file");
        Assert.Contains("INFRA-010", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_configured_limit_is_refused()
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".agent/etc/sync.yaml", "max_file_bytes: 1000\n");
        const string bad = ".agent/cache/stories/INFRA/INFRA-013-huge.md";

        var (result, list) = await ImportWithAsync(workspace, bad, Encoding.UTF8.GetBytes("# INFRA-013: Huge\n" + new string('x', 2000)));

        AssertOneLine(result, bad, "max_file_bytes");
        Assert.Contains("INFRA-010", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_limit_is_one_mebibyte()
    {
        using var workspace = new TempWorkspace();
        const string bad = ".agent/cache/stories/INFRA/INFRA-014-huge.md";

        var (result, _) = await ImportWithAsync(workspace, bad, Encoding.UTF8.GetBytes("# INFRA-014: Huge\n" + new string('x', 1024 * 1024)));

        AssertOneLine(result, bad, "over the 1 MiB limit");
    }

    [Fact]
    public async Task The_same_id_in_two_files_is_refused_for_the_second()
    {
        using var workspace = new TempWorkspace();
        const string bad = ".agent/cache/stories/INFRA/INFRA-010-zz-copy.md";

        var (result, list) = await ImportWithAsync(workspace, bad, Encoding.UTF8.GetBytes("# INFRA-010: Copy\n"));

        AssertOneLine(result, bad, "already used by .agent/cache/stories/INFRA/INFRA-010-good.md");
        Assert.Contains("INFRA-010-good.md", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("story", "# ../../etc/passwd: Escape\n", "no artifact id found")]
    [InlineData("journey", "id: ../../etc/passwd\ntitle: Escape\n", "would escape the workspace")]
    [InlineData("journey", "id: /etc/passwd\ntitle: Escape\n", "would escape the workspace")]
    [InlineData("journey", "id: JRN-..\ntitle: Escape\n", "would escape the workspace")]
    public async Task An_id_on_stdin_that_would_escape_the_workspace_is_refused(string kind, string text, string advice)
    {
        using var workspace = new TempWorkspace();
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        var result = await AgentCli.RunInProcessAsync(workspace.Root, text, "sync", "import", "--kind", kind, "-");

        AssertOneLine(result, "<stdin>", advice);
        Assert.Empty(Directory.EnumerateFiles(workspace.Root, "*.md", SearchOption.AllDirectories));
        Assert.DoesNotContain(Directory.EnumerateFiles(workspace.Root, "*.yaml", SearchOption.AllDirectories), f => !f.EndsWith("sync.yaml", StringComparison.Ordinal));
        Assert.False(File.Exists("/etc/passwd.yaml"));
    }

    [Fact]
    public async Task Stdin_text_goes_to_its_canonical_file()
    {
        using var workspace = new TempWorkspace();
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        var result = await AgentCli.RunInProcessAsync(workspace.Root, "# WEB-007: Piped In\r\n\r\n## State\r\n\r\nDRAFT\r\n", "sync", "import", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(".agent/cache/stories/WEB/WEB-007-piped-in.md", result.Out.Trim());
        Assert.Equal("# WEB-007: Piped In\r\n\r\n## State\r\n\r\nDRAFT\r\n", workspace.Read(".agent/cache/stories/WEB/WEB-007-piped-in.md"));
    }

    [Fact]
    public async Task A_path_outside_the_workspace_is_refused()
    {
        using var workspace = new TempWorkspace();
        using var other = new TempWorkspace();
        other.Write("INFRA-001-x.md", "# INFRA-001: X\n");
        await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "import", other.PathOf("INFRA-001-x.md"));

        AssertOneLine(result, other.PathOf("INFRA-001-x.md"), "outside the workspace");
    }

    [Theory]
    [InlineData("remote: [unclosed\n", "malformed YAML")]
    [InlineData("batch_size: lots\n", "expected a whole number")]
    [InlineData("colour: blue\n", "unknown setting 'colour'")]
    [InlineData("pii:\n  policy: shout\n", "pii.policy must be")]
    public async Task A_malformed_sync_yaml_is_refused_with_its_line(string yaml, string advice)
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".agent/etc/sync.yaml", yaml);

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        AssertOneLine(result, ".agent/etc/sync.yaml:", advice);
    }

    [Theory]
    [InlineData("service_role_key: abc\n", "SUPABASE_SERVICE_ROLE_KEY")]
    [InlineData("supabase_anon_key: abc\n", "SUPABASE_ANON_KEY")]
    [InlineData("access_token: abc\n", "SUPABASE_ACCESS_TOKEN")]
    [InlineData("db_password: hunter2\n", "PGPASSWORD")]
    [InlineData("remote: postgresql://agent:hunter2@db.internal:5432/postgres\n", "PGPASSWORD")]
    [InlineData("project: eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl\n", "SUPABASE_SERVICE_ROLE_KEY")]
    public async Task A_credential_in_sync_yaml_is_refused_with_the_variable_to_use(string yaml, string variable)
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".agent/etc/sync.yaml", yaml);

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init");

        AssertOneLine(result, ".agent/etc/sync.yaml:1", variable);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJl", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_outside_a_workspace_say_to_run_init()
    {
        var empty = Path.Combine(Path.GetTempPath(), "agent-sync-tests", "empty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(empty);
        try
        {
            var result = await AgentCli.RunInProcessAsync(empty, null, "list");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("agent sync init", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_push_of_an_id_that_names_nothing_is_a_usage_error_and_sends_nothing()
    {
        using var workspace = new TempWorkspace();
        var remote = Path.Combine(workspace.Root, "team.db");
        Assert.Equal(0, (await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "init", "--remote", "file:" + remote, "--project", "p")).ExitCode);
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-real.md", "# INFRA-001: Real\n\n## State\n\nDRAFT\n");

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "push", "INFRA-001", "INFRA-999");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: INFRA-999 is not in the cache or the working tree; check 'agent list' (nothing was pushed)", result.Error.Trim());
        var status = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "status", "--json");
        Assert.Equal(0, JsonDocument.Parse(status.Out).RootElement.GetProperty("queued").GetInt32());
        var pushed = await AgentCli.RunInProcessAsync(workspace.Root, null, "sync", "push", "infra-001", "--json");
        Assert.Equal(0, pushed.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(pushed.Out).RootElement.GetProperty("pushed").GetArrayLength());
    }

    [Fact]
    public async Task A_link_to_nothing_in_an_artifact_folder_is_one_line_and_the_others_still_go_in()
    {
        using var workspace = new TempWorkspace();
        Assert.Equal(0, (await AgentCli.RunAsync(workspace.Root, "sync", "init")).ExitCode);
        workspace.Write(".agent/cache/stories/INFRA/INFRA-001-good.md", "# INFRA-001: Good\n\n## State\n\nDRAFT\n");
        File.CreateSymbolicLink(workspace.PathOf(".agent/cache/stories/INFRA/INFRA-002-dangling.md"), Path.Combine(workspace.Root, "nowhere.md"));

        var result = await AgentCli.RunAsync(workspace.Root, "sync", "import");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: .agent/cache/stories/INFRA/INFRA-002-dangling.md: cannot be read (it no longer exists, or is a link to nothing); fix or remove it, then run the command again", result.Error.Trim());
        Assert.Contains("INFRA-001", (await AgentCli.RunAsync(workspace.Root, "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_options_are_usage_errors()
    {
        using var workspace = new TempWorkspace();

        var result = await AgentCli.RunInProcessAsync(workspace.Root, null, "list", "--colour");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }
}
