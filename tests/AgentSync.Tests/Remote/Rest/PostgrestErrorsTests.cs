using AgentSync.Tests.Support.Gateway;

namespace AgentSync.Tests.Remote.Rest;

/// <summary>The gateway's SQLSTATE to HTTP status table, checked against PostgREST's documented one.</summary>
public sealed class PostgrestErrorsTests
{
    [Theory]
    [InlineData("P0001", false, 400)]
    [InlineData("P0002", false, 500)]
    [InlineData("23505", false, 409)]
    [InlineData("23503", false, 409)]
    [InlineData("23502", false, 400)]
    [InlineData("22P02", false, 400)]
    [InlineData("42501", true, 401)]
    [InlineData("42501", false, 403)]
    [InlineData("42883", false, 404)]
    [InlineData("42P01", false, 404)]
    [InlineData("42P17", false, 500)]
    [InlineData("PT400", false, 400)]
    [InlineData("PT404", false, 404)]
    [InlineData("PT426", false, 426)]
    [InlineData("57014", false, 500)]
    [InlineData("08006", false, 503)]
    [InlineData("53300", false, 503)]
    [InlineData("53400", false, 500)]
    [InlineData("25006", false, 405)]
    [InlineData("28000", false, 403)]
    [InlineData("40001", false, 500)]
    [InlineData("XX000", false, 500)]
    public void Sqlstates_map_to_postgrests_http_statuses(string sqlState, bool anonymous, int status) =>
        Assert.Equal(status, PostgrestErrors.Status(sqlState, anonymous));
}
