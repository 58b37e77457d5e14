using AgentSync.Artifacts;
using AgentSync.Remote;
using AgentSync.Remote.Rest;
using AgentSync.Tests.Support.Gateway;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>
/// Row-level security as Supabase users meet it: each developer signs in with their own JWT (anon key + access token)
/// and creates their own project, which makes them its member. The gateway runs every call as the authenticated role
/// with their claims, so what is tested here is the migration's policies and membership checks, end to end.
/// </summary>
public sealed class RestRemoteRlsTests(RestGatewayFixture fixture) : IClassFixture<RestGatewayFixture>
{
    private sealed record User(Guid Id, string Email, RestRemote Remote, string Project);

    private async Task<User> SignInWithOwnProjectAsync(string name)
    {
        var id = Guid.NewGuid();
        // Unique per test: the class shares one database, and forget counts rows by e-mail.
        var email = $"{name}.{id.ToString("N")[..8]}@example.com";
        var remote = fixture.UserRemote(fixture.Gateway.Jwt.UserToken(id, email));
        var info = await remote.ConnectAsync(CancellationToken.None);
        Assert.Equal((email, false), (info.User, info.ServiceRole));
        var project = $"{name}-{Guid.NewGuid():N}"[..30];
        Assert.True(await remote.EnsureProjectAsync(project, CancellationToken.None));
        return new User(id, email, remote, project);
    }

    private static RemoteChange Change(string id, long baseVersion, string content) =>
        new(Guid.NewGuid(), id, ArtifactKind.Story, baseVersion, content, ContentHash.Of(content), false, "someone-else@example.com", "rls test");

    [Fact]
    public async Task Each_user_works_in_their_own_project_and_is_recorded_as_the_author()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        await using var _ = alice.Remote;

        var pushed = Assert.Single(await alice.Remote.PushAsync(alice.Project, [Change("INFRA-001", 0, "alice's\n")], CancellationToken.None));
        var pulled = Assert.Single((await alice.Remote.PullAsync(alice.Project, 0, 100, CancellationToken.None)).Changes);

        Assert.Equal((PushStatus.Accepted, 1L), (pushed.Status, pushed.Version));
        // The JWT's e-mail is the author, whatever the client claims.
        Assert.Equal(("alice's\n", alice.Email), (pulled.Content, pulled.Author));
        Assert.Equal(1, await alice.Remote.NextIdAsync(alice.Project, "WEB", CancellationToken.None));
    }

    [Fact]
    public async Task Users_neither_see_nor_change_each_others_artifacts_or_change_log()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        var bob = await SignInWithOwnProjectAsync("bob");
        await using var _ = alice.Remote;
        await using var __ = bob.Remote;
        await alice.Remote.PushAsync(alice.Project, [Change("INFRA-001", 0, "alice's\n")], CancellationToken.None);
        await bob.Remote.PushAsync(bob.Project, [Change("INFRA-001", 0, "bob's\n")], CancellationToken.None);

        var attempts = new Func<Task>[]
        {
            () => bob.Remote.PullAsync(alice.Project, 0, 100, CancellationToken.None),
            () => bob.Remote.LogAsync(alice.Project, "INFRA-001", ArtifactKind.Story, CancellationToken.None),
            () => bob.Remote.PushAsync(alice.Project, [Change("INFRA-001", 1, "bob was here\n")], CancellationToken.None),
            () => bob.Remote.PushAsync(alice.Project, [Change("INFRA-002", 0, "bob's new one\n")], CancellationToken.None),
            () => bob.Remote.NextIdAsync(alice.Project, "INFRA", CancellationToken.None),
            // Asking to create her project must not make him a member of it.
            () => bob.Remote.EnsureProjectAsync(alice.Project, CancellationToken.None),
        };
        foreach (var attempt in attempts)
            Assert.Equal(RemoteErrorKind.NotFound, (await Assert.ThrowsAsync<RemoteException>(attempt)).Kind);

        var alicesLog = (await alice.Remote.PullAsync(alice.Project, 0, 100, CancellationToken.None)).Changes;
        var bobsLog = (await bob.Remote.PullAsync(bob.Project, 0, 100, CancellationToken.None)).Changes;
        Assert.Equal(["alice's\n"], alicesLog.Select(c => c.Content));
        Assert.Equal(["bob's\n"], bobsLog.Select(c => c.Content));
        await using var service = fixture.ServiceRemote();
        Assert.Single((await service.PullAsync(alice.Project, 0, 100, CancellationToken.None)).Changes);
    }

    [Fact]
    public async Task A_member_added_by_the_owner_reads_and_writes_the_project()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        var bob = await SignInWithOwnProjectAsync("bob");
        await using var _ = alice.Remote;
        await using var __ = bob.Remote;
        await alice.Remote.PushAsync(alice.Project, [Change("INFRA-001", 0, "alice's\n")], CancellationToken.None);

        await alice.Remote.AddMemberAsync(alice.Project, bob.Id, bob.Email, CancellationToken.None);
        var seen = Assert.Single((await bob.Remote.PullAsync(alice.Project, 0, 100, CancellationToken.None)).Changes);
        var edit = Assert.Single(await bob.Remote.PushAsync(alice.Project, [Change("INFRA-001", 1, "alice's, reviewed by bob\n")], CancellationToken.None));

        Assert.Equal("alice's\n", seen.Content);
        Assert.Equal((PushStatus.Accepted, 2L), (edit.Status, edit.Version));
        Assert.Equal(bob.Email, Assert.Single(await alice.Remote.LogAsync(alice.Project, "INFRA-001", ArtifactKind.Story, CancellationToken.None), c => c.Version == 2).Author);
    }

    [Fact]
    public async Task The_audit_log_is_per_project_and_forget_needs_the_service_role()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        var bob = await SignInWithOwnProjectAsync("bob");
        await using var _ = alice.Remote;
        await using var __ = bob.Remote;
        await using var service = fixture.ServiceRemote();

        var seq = await alice.Remote.AuditAppendAsync(alice.Project, "sync.push", "ok", null, CancellationToken.None);
        var entry = Assert.Single(await alice.Remote.AuditListAsync(alice.Project, null, CancellationToken.None));
        var outsider = await Assert.ThrowsAsync<RemoteException>(() => bob.Remote.AuditListAsync(alice.Project, null, CancellationToken.None));
        var userForget = await Assert.ThrowsAsync<RemoteException>(() => alice.Remote.ForgetAsync(bob.Email, CancellationToken.None));
        using var receipt = await service.ForgetAsync(bob.Email, CancellationToken.None);

        Assert.Equal((1L, 1L, alice.Email, "sync.push"), (seq, entry.Sequence, entry.Actor, entry.Operation));
        Assert.Equal(RemoteErrorKind.NotFound, outsider.Kind);
        Assert.Equal(RemoteErrorKind.Unauthorized, userForget.Kind);
        Assert.Equal(1, receipt.RootElement.GetProperty("members").GetInt64());
    }

    [Fact]
    public async Task A_full_batch_of_6_kb_artifacts_fits_the_authenticated_statement_timeout()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        await using var _ = alice.Remote;
        var batch = Enumerable.Range(1, RemoteSchema.MaxPageSize)
            .Select(i => Change($"BULK-{i:0000}", 0, $"# BULK-{i:0000}: bulk\n\n" + string.Concat(Enumerable.Repeat($"- [ ] step {i} of a long runbook, with some text\n", 120))))
            .ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Split into requests of 500 items by default; each runs under the gateway's 8 s authenticated timeout.
        var results = await alice.Remote.PushAsync(alice.Project, batch, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(PushStatus.Accepted, r.Status));
        Assert.Equal(batch.Select(c => c.Id), results.Select(r => r.Id));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(16));
    }

    [Fact]
    public async Task Anon_sees_nothing_and_changes_nothing()
    {
        var alice = await SignInWithOwnProjectAsync("alice");
        await using var _ = alice.Remote;
        await alice.Remote.PushAsync(alice.Project, [Change("INFRA-001", 0, "alice's\n")], CancellationToken.None);
        var anonKey = fixture.Gateway.Jwt.AnonKey();
        await using var anon = new RestRemote(fixture.Gateway.Url, new RestCredentials(anonKey, anonKey));

        var attempts = new Func<Task>[]
        {
            () => anon.PullAsync(alice.Project, 0, 100, CancellationToken.None),
            () => anon.LogAsync(alice.Project, "INFRA-001", ArtifactKind.Story, CancellationToken.None),
            () => anon.PushAsync(alice.Project, [Change("INFRA-001", 1, "anon\n")], CancellationToken.None),
            () => anon.EnsureProjectAsync("anon-project", CancellationToken.None),
            () => anon.NextIdAsync(alice.Project, "INFRA", CancellationToken.None),
        };
        foreach (var attempt in attempts)
            Assert.Equal(RemoteErrorKind.Unauthorized, (await Assert.ThrowsAsync<RemoteException>(attempt)).Kind);

        Assert.Equal(["alice's\n"], (await alice.Remote.PullAsync(alice.Project, 0, 100, CancellationToken.None)).Changes.Select(c => c.Content));
    }

    [Fact]
    public async Task Expired_and_forged_tokens_are_unauthorized()
    {
        var id = Guid.NewGuid();
        await using var expired = fixture.UserRemote(fixture.Gateway.Jwt.UserToken(id, "eve@example.com", TimeSpan.FromMinutes(-10)));
        await using var forged = fixture.UserRemote(TestJwt.Forged(id, "eve@example.com"));

        var expiredError = await Assert.ThrowsAsync<RemoteException>(() => expired.ConnectAsync(CancellationToken.None));
        var forgedError = await Assert.ThrowsAsync<RemoteException>(() => forged.EnsureProjectAsync("eve", CancellationToken.None));

        Assert.Equal((RemoteErrorKind.Unauthorized, "PGRST303"), (expiredError.Kind, expiredError.Code));
        Assert.Equal((RemoteErrorKind.Unauthorized, "PGRST301"), (forgedError.Kind, forgedError.Code));
        Assert.Contains("JWT expired", expiredError.Message, StringComparison.Ordinal);
    }
}
