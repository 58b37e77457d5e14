using AgentSync.Remote;
using AgentSync.Remote.Postgres;
using AgentSync.Tests.Support;
using Npgsql;

namespace AgentSync.Tests.Remote.Postgres;

public sealed class FailureDatabase : PostgresDatabase
{
    protected override string Prefix => "failure";
}

/// <summary>Transient failures must surface as "unreachable, queued" and a later call must work again.</summary>
public sealed class PostgresFailureTests(FailureDatabase database) : IClassFixture<FailureDatabase>
{
    [Fact]
    public async Task A_connection_killed_by_the_server_is_unavailable_and_the_next_call_recovers()
    {
        await using var remote = new PostgresRemote(database.Url());
        await remote.ConnectAsync(CancellationToken.None);
        var project = "kill-" + Guid.NewGuid().ToString("N")[..8];
        await remote.EnsureProjectAsync(project, CancellationToken.None);

        await using (var kill = database.Superuser.CreateCommand(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'agent-sync' and datname = current_database()"))
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);

        // The pooled connection is dead: the first call fails as transient (or succeeds if the pool noticed first).
        try
        {
            await remote.PullAsync(project, 0, 10, CancellationToken.None);
        }
        catch (RemoteUnavailableException)
        {
        }

        Assert.Empty((await remote.PullAsync(project, 0, 10, CancellationToken.None)).Changes);
    }

    [Fact]
    public void Driver_timeouts_and_socket_errors_are_unavailable_and_our_own_cancellation_stays_a_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.IsType<RemoteUnavailableException>(PostgresErrors.Translate(new TimeoutException(), "remote", CancellationToken.None));
        Assert.IsType<RemoteUnavailableException>(PostgresErrors.Translate(new NpgsqlException("read", new TimeoutException()), "remote", CancellationToken.None));
        Assert.IsType<RemoteUnavailableException>(PostgresErrors.Translate(new NpgsqlException("broken", new IOException("reset")), "remote", CancellationToken.None));
        Assert.IsType<RemoteUnavailableException>(PostgresErrors.Translate(new OperationCanceledException(), "remote", CancellationToken.None));
        Assert.IsType<OperationCanceledException>(PostgresErrors.Translate(new OperationCanceledException(cancelled.Token), "remote", cancelled.Token));
    }

    [Theory]
    [InlineData("08006", typeof(RemoteUnavailableException))]
    [InlineData("57P01", typeof(RemoteUnavailableException))]
    [InlineData("57014", typeof(RemoteUnavailableException))]
    [InlineData("40001", typeof(RemoteUnavailableException))]
    [InlineData("53300", typeof(RemoteUnavailableException))]
    [InlineData("PT400", typeof(RemoteException))]
    [InlineData("PT404", typeof(RemoteException))]
    [InlineData("42501", typeof(RemoteException))]
    [InlineData("23505", typeof(RemoteException))]
    public void Sqlstates_map_to_permanent_or_transient_failures(string sqlState, Type expected)
    {
        var error = new PostgresException("server said no", "ERROR", "ERROR", sqlState);

        Assert.IsType(expected, PostgresErrors.Translate(error, "remote", CancellationToken.None));
    }
}
