using System.Diagnostics;
using AgentSync.Tests.Support;

namespace AgentSync.Tests.Sync;

/// <summary>On a terminal, push offers each conflict (ours, theirs, edit, skip); a pseudo-terminal from script(1) plays the user.</summary>
public sealed class TerminalTests(FileRemoteTarget remote) : IClassFixture<FileRemoteTarget>
{
    private const string Story = ".agent/cache/stories/INFRA/INFRA-001-pty.md";

    /// <summary>Alice and Bob edit the same line; Alice's edit is on the remote, Bob's push will meet it.</summary>
    private async Task<(Developer Alice, Developer Bob)> ConflictAsync()
    {
        var project = "pty-" + Guid.NewGuid().ToString("N")[..8];
        var alice = new Developer("alice", remote, project);
        var bob = new Developer("bob", remote, project);
        await alice.InitAsync();
        await alice.ExpectAsync(0, "new-story", "INFRA", "Pty");
        await bob.InitAsync();
        alice.Workspace.Write(Story, alice.Workspace.Read(Story).Replace("What problem are we solving?", "Alice's line", StringComparison.Ordinal));
        bob.Workspace.Write(Story, bob.Workspace.Read(Story).Replace("What problem are we solving?", "Bob's line", StringComparison.Ordinal));
        await alice.ExpectAsync(0, "sync", "push");
        return (alice, bob);
    }

    [Fact]
    public async Task Push_on_a_terminal_offers_the_conflict_and_sends_the_chosen_side_at_once()
    {
        var (alice, bob) = await ConflictAsync();
        using var _ = alice;
        using var __ = bob;

        // Down arrow then Enter: the second choice, "ours".
        var (code, output) = await RunOnTerminalAsync(bob.Workspace.Root, "\u001b[B\r", "sync", "push");
        await alice.ExpectAsync(0, "sync", "pull");

        Assert.Equal(0, code);
        Assert.Contains("conflicts with remote v2", output, StringComparison.Ordinal);
        Assert.Contains("resolved INFRA-001 (ours)", output, StringComparison.Ordinal);
        Assert.Contains("Bob's line", alice.Workspace.Read(Story), StringComparison.Ordinal);
        Assert.Equal(alice.Workspace.Read(Story), bob.Workspace.Read(Story));
    }

    [Fact]
    public async Task Piped_or_with_no_input_it_never_prompts()
    {
        var (alice, bob) = await ConflictAsync();
        using var _ = alice;
        using var __ = bob;

        var (code, output) = await RunOnTerminalAsync(bob.Workspace.Root, "", "sync", "push", "--no-input");

        Assert.Equal(1, code);
        Assert.DoesNotContain("conflicts with remote", output, StringComparison.Ordinal);
        Assert.Contains("<<<<<<< local", bob.Workspace.Read(Story), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunOnTerminalAsync(string root, string keys, params string[] args)
    {
        var executable = AgentCli.ExecutablePath;
        var start = new ProcessStartInfo("script", ["-qec", string.Join(' ', new[] { executable }.Concat(args).Select(a => $"'{a}'")), "/dev/null"])
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("CI");
        start.Environment["TERM"] = "xterm";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the prompt appear before the keys arrive
        await process.StandardInput.WriteAsync(keys);
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output);
    }
}
