using System.Net;
using AgentSync.Artifacts;
using Polly;

namespace AgentSync.Remote.Rest;

/// <summary>
/// The Supabase transport: the migration's functions called as PostgREST RPC (<c>POST /rest/v1/rpc/&lt;fn&gt;</c>).
/// Row-level security applies to user tokens; the service role key acts on any project.
/// <para>
/// Batch atomicity holds per HTTP request. A push larger than <see cref="RestRemoteOptions.MaxBatchItems"/> items or
/// about <see cref="RestRemoteOptions.MaxRequestBytes"/> is split, because Supabase's statement timeout (8 s for
/// authenticated) bounds what one transaction may do. The whole batch is checked with <see cref="RemoteValidation"/>
/// before the first request, so a malformed item still refuses all of it with nothing applied; what a split batch
/// cannot promise is all-or-nothing when the remote fails (outage, permission change) between two requests. Every
/// change keeps its change id, so pushing the whole batch again is safe: applied items return their first result.
/// </para>
/// </summary>
public sealed partial class RestRemote : IRemote
{
    private readonly Uri _rpcBase;
    private readonly RestCredentials _credentials;
    private readonly RestRemoteOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;

    public RestRemote(Uri supabaseUrl, RestCredentials credentials, RestRemoteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(supabaseUrl);
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _options = options ?? RestRemoteOptions.Default;
        Describe = DescribeUrl(supabaseUrl);
        CheckUrl(supabaseUrl, Describe);
        _rpcBase = new Uri(supabaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/rest/v1/rpc/");
        _http = CreateHttpClient(_options);
        _pipeline = CreatePipeline(_options);
    }

    /// <summary>A remote authenticated from <c>SUPABASE_SERVICE_ROLE_KEY</c>, or <c>SUPABASE_ANON_KEY</c> + <c>SUPABASE_ACCESS_TOKEN</c>.</summary>
    /// <exception cref="Errors.SyncException">Usage (exit 2) naming the variables when none are set.</exception>
    public static RestRemote FromEnvironment(Uri url, RestRemoteOptions? options = null) =>
        new(url, RestCredentials.FromEnvironment(Environment.GetEnvironmentVariable), options);

    public string Describe { get; }

    public async Task<RemoteInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        var version = await CallAsync("agent_sync_schema_version", new NoArgs(), RestJsonContext.Relaxed.NoArgs, RestJsonContext.Relaxed.Int32, cancellationToken);
        RemoteSchema.Check(version, Describe);
        var identity = TokenIdentity.Read(_credentials);
        return new RemoteInfo(Describe, version, identity.User, identity.ServiceRole);
    }

    public Task<bool> EnsureProjectAsync(string project, CancellationToken cancellationToken) =>
        CallAsync("agent_sync_create_project", new CreateProjectArgs(project, RemoteSchema.Version), RestJsonContext.Relaxed.CreateProjectArgs, RestJsonContext.Relaxed.Boolean, cancellationToken);

    public async Task<PullPage> PullAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var args = new PullArgs(project, RemoteSchema.Version, afterSequence, Math.Clamp(limit, 1, RemoteSchema.MaxPageSize));
        var rows = await CallAsync("agent_sync_pull", args, RestJsonContext.Relaxed.PullArgs, RestJsonContext.Relaxed.ChangeRowArray, cancellationToken);
        return new PullPage([.. rows.Select(ToRecord)], rows.Length > 0 && rows[0].More == true);
    }

    public Task<long> NextIdAsync(string project, string scope, CancellationToken cancellationToken) =>
        CallAsync("agent_sync_next_id", new NextIdArgs(project, RemoteSchema.Version, scope), RestJsonContext.Relaxed.NextIdArgs, RestJsonContext.Relaxed.Int64, cancellationToken);

    /// <remarks>PostgREST cuts every RPC result at max_rows (1000 on Supabase): an artifact with more versions shows its oldest 1000.</remarks>
    public async Task<IReadOnlyList<RemoteChangeRecord>> LogAsync(string project, string id, ArtifactKind kind, CancellationToken cancellationToken)
    {
        var rows = await CallAsync("agent_sync_log", new LogArgs(project, RemoteSchema.Version, id, kind.Name()), RestJsonContext.Relaxed.LogArgs, RestJsonContext.Relaxed.ChangeRowArray, cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private RemoteChangeRecord ToRecord(ChangeRow row) => new(
        row.Seq, row.ChangeId, row.Id, ParseKind(row.Kind), row.Version, row.Content ?? "", row.ContentHash ?? "",
        row.Deleted, row.Author ?? "", row.Description, row.CreatedAt)
    {
        Path = row.Path,
    };

    private ArtifactKind ParseKind(string kind) => ArtifactKinds.TryParse(kind, out var parsed)
        ? parsed
        : throw new RemoteException(RemoteErrorKind.Invalid, $"{Describe} returned an unknown kind '{kind}'");

    /// <summary>The URL without user info, query or fragment: safe for messages and logs.</summary>
    private static string DescribeUrl(Uri url) =>
        url.IsAbsoluteUri ? "supabase " + url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/') : "supabase (relative URL)";

    private static void CheckUrl(Uri url, string describe)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw Errors.SyncException.Usage($"supabase_url must be an http(s) URL such as https://<ref>.supabase.co, not '{describe}'");
        // Keys travel in headers: plain HTTP is only acceptable to this machine (supabase start, tests).
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !IsLoopbackAddress(url.Host))
            throw Errors.SyncException.Usage($"{describe}: plain http is only allowed for a local Supabase (localhost, 127.0.0.1); use https");
    }

    private static bool IsLoopbackAddress(string host) => IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
}
