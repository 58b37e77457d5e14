using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentSync.Remote.Rest;

// Request bodies: the keys are the SQL functions' named parameters (PostgREST binds them by name).

/// <summary>A function without parameters still takes a JSON object: an empty one.</summary>
internal sealed record NoArgs;

internal sealed record CreateProjectArgs(string PProject, int PClientSchema);

internal sealed record PushArgs(
    string PProject,
    int PClientSchema,
    Guid[] PChangeIds,
    string[] PIds,
    string[] PKinds,
    long[] PBaseVersions,
    string[] PContents,
    string[] PContentHashes,
    bool[] PDeleted,
    string[] PAuthors,
    string?[] PDescriptions,
    string?[] PPaths,
    string?[] PStates);

internal sealed record PullArgs(string PProject, int PClientSchema, long PAfter, int PLimit);

internal sealed record NextIdArgs(string PProject, int PClientSchema, string PScope);

internal sealed record LogArgs(string PProject, int PClientSchema, string PId, string PKind);

internal sealed record AddMemberArgs(string PProject, int PClientSchema, Guid PUser, string? PEmail);

internal sealed record AuditAppendArgs(string PProject, int PClientSchema, string POperation, string POutcome, JsonElement PDetails);

internal sealed record AuditListArgs(string PProject, int PClientSchema, DateTimeOffset? PSince);

internal sealed record ForgetArgs(string PEmail, int PClientSchema);

// Result rows, named like the columns of the functions' RETURNS TABLE.

internal sealed record PushRow(
    Guid ChangeId,
    string Id,
    string Kind,
    string Status,
    long Version,
    long? Seq,
    string? Content,
    string? ContentHash,
    bool? Deleted,
    string? Author);

internal sealed record ChangeRow(
    long Seq,
    Guid ChangeId,
    string Id,
    string Kind,
    long Version,
    string? Content,
    string? ContentHash,
    bool Deleted,
    string? Author,
    string? Description,
    DateTimeOffset CreatedAt,
    bool? More,
    string? Path = null);

internal sealed record AuditRow(
    long Seq,
    DateTimeOffset CreatedAt,
    string Actor,
    Guid ActorPseudonym,
    string Operation,
    string Outcome,
    JsonElement Details,
    string PrevHash,
    string RowHash);

/// <summary>PostgREST's error body (also what Supabase's gateway sends, sometimes with only a message).</summary>
internal sealed record PostgrestError(string? Code, string? Message, string? Details, string? Hint);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NoArgs))]
[JsonSerializable(typeof(CreateProjectArgs))]
[JsonSerializable(typeof(PushArgs))]
[JsonSerializable(typeof(PullArgs))]
[JsonSerializable(typeof(NextIdArgs))]
[JsonSerializable(typeof(LogArgs))]
[JsonSerializable(typeof(PushRow[]))]
[JsonSerializable(typeof(ChangeRow[]))]
[JsonSerializable(typeof(AddMemberArgs))]
[JsonSerializable(typeof(AuditAppendArgs))]
[JsonSerializable(typeof(AuditListArgs))]
[JsonSerializable(typeof(ForgetArgs))]
[JsonSerializable(typeof(AuditRow[]))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(PostgrestError))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
internal sealed partial class RestJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Artifact content is mostly non-ASCII-friendly text; the default encoder would turn every non-ASCII character into a
    /// six-byte \uXXXX escape and inflate requests up to sixfold. The body is never embedded in HTML, so relaxed
    /// escaping is safe here.
    /// </summary>
    public static RestJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    });
}
