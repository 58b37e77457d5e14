using AgentSync.Scrubbing;

namespace AgentSync.Tests.Scrubbing;

public sealed class SecretMaskerTests
{
    public static TheoryData<string, string> Masked => new()
    {
        { "connecting to postgresql://app:S3cr3t!pw@db.acme.io:5432/x", "connecting to postgresql://app:***@db.acme.io:5432/x" },
        { "connecting to postgresql://user:password@localhost/db", "connecting to postgresql://user:***@localhost/db" },
        { "Host=db;Username=app;Password=p@ss word;Database=x", "Host=db;Username=app;Password=***;Database=x" },
        { "Server=db;Pwd=\"a;b\";Database=x", "Server=db;Pwd=***;Database=x" },
        { "host=db password=abc123 dbname=agent", "host=db password=*** dbname=agent" },
        { "28P01: password authentication failed for user \"app\" (Password=Hx9-q2;Host=db)", "28P01: password authentication failed for user \"app\" (Password=***;Host=db)" },
        { "GET /rest/v1/rpc/pull Authorization: Bearer abc.def-ghi_123456 took 12 ms", "GET /rest/v1/rpc/pull Authorization: Bearer *** took 12 ms" },
        { "Authorization: Basic YWxpY2U6czNjcjN0", "Authorization: Basic ***" },
        { "token ghp_{A36} rejected", "token *** rejected" },
        { "apikey={JWTSR}", "apikey=***" },
        { "retrying with key AKIA{U16}", "retrying with key ***" },
        { "config: {\"password\": \"hunter\", \"retries\": 3}", "config: {\"password\": \"***\", \"retries\": 3}" },
        { "-----BEGIN PRIVATE KEY-----\n{B64}\n-----END PRIVATE KEY-----\nnext", "***\nnext" },
    };

    [Theory]
    [MemberData(nameof(Masked))]
    public void Masks_secrets_and_keeps_the_rest(string template, string expected)
    {
        Assert.Equal(FakeSecrets.Expand(expected), SecretMasker.Mask(FakeSecrets.Expand(template)));
    }

    [Theory]
    [InlineData("pushed 3 artifacts to https://abc.supabase.co in 120 ms; tokens: 4096")]
    [InlineData("push failed: token: expired")]
    [InlineData("conflict on INFRA-004 v7 (bob@example.com)")]
    [InlineData("")]
    public void Leaves_ordinary_log_lines_alone(string line) => Assert.Equal(line, SecretMasker.Mask(line));

    [Fact]
    public void Masks_the_values_of_credential_environment_variables()
    {
        var serviceKey = FakeSecrets.Expand("svc-{A32}");
        var environment = new Dictionary<string, string>
        {
            ["SUPABASE_SERVICE_ROLE_KEY"] = serviceKey,
            ["SUPABASE_ANON_KEY"] = "anon-Key-7f3c9a12",
            ["SUPABASE_ACCESS_TOKEN"] = "short",
            ["PGPASSWORD"] = "Tango-Zulu-42",
            ["HOME"] = "/home/alice-the-user",
        };

        var masked = SecretMasker.Mask(
            $"sent {serviceKey} then anon-Key-7f3c9a12 and Tango-Zulu-42; a short story in /home/alice-the-user",
            name => environment.GetValueOrDefault(name));

        Assert.Equal("sent *** then *** and ***; a short story in /home/alice-the-user", masked);
    }

    [Fact]
    public void Unset_credential_variables_mask_nothing()
    {
        Assert.Equal("plain line", SecretMasker.Mask("plain line", _ => null));
    }
}
