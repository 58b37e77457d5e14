using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AgentSync.Artifacts;

namespace AgentSync.Remote;

/// <summary>
/// The input rules of docs/remote-protocol.md, shared by every transport (the SQLite file remote enforces them, the
/// Postgres functions repeat them in SQL) and by the client, which checks a batch before it sends so that a bad item
/// fails fast with the same message wherever it is caught. Checks allocate nothing unless they fail.
/// </summary>
public static class RemoteValidation
{
    public const int MaxIdLength = 100;
    public const int MaxProjectLength = 63;
    public const int MaxScopeLength = 20;
    public const int MaxPathLength = 300;

    /// <summary>A path below a kind's folder as clients send it: relative, no '..' segment, no backslash or control character.</summary>
    public static bool IsValidPath(string path) =>
        path.Length is > 0 and <= MaxPathLength && path[0] != '/' && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Any(char.IsControl) && path.Split('/').All(segment => segment is not ("" or "." or ".."));

    /// <summary><c>^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$</c> and no <c>..</c>: an id becomes a file name, never a path.</summary>
    public static bool IsValidId(string? id) =>
        IsName(id, MaxIdLength) && !id.AsSpan().Contains("..", StringComparison.Ordinal);

    /// <summary><c>^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$</c>.</summary>
    public static bool IsValidProject(string? project) => IsName(project, MaxProjectLength);

    /// <summary><c>^[A-Z][A-Z0-9]{0,19}$</c>: the prefix of ids such as INFRA-004.</summary>
    public static bool IsValidScope(string? scope)
    {
        if (string.IsNullOrEmpty(scope) || scope.Length > MaxScopeLength || !char.IsAsciiLetterUpper(scope[0]))
            return false;
        foreach (var c in scope.AsSpan(1))
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    public static bool IsValidKind(ArtifactKind kind) => kind is >= ArtifactKind.Story and <= ArtifactKind.Journey;

    public static void ValidateProject(string? project)
    {
        if (!IsValidProject(project))
            throw Invalid($"project '{Shown(project)}' is not a valid project name (letters, digits, '.', '_', '-'; at most {MaxProjectLength}; starting with a letter or digit)");
    }

    public static void ValidateScope(string? scope)
    {
        if (!IsValidScope(scope))
            throw Invalid($"scope '{Shown(scope)}' is not a valid scope (upper-case letters and digits, at most {MaxScopeLength}, starting with a letter)");
    }

    /// <summary>The check of an artifact named in a request other than a push (the log of one artifact).</summary>
    public static void ValidateArtifact(string? id, ArtifactKind kind)
    {
        if (!IsValidId(id))
            throw Invalid($"id '{Shown(id)}' is not a valid artifact id (letters, digits, '.', '_', '-'; at most {MaxIdLength}; no '/' or '..')");
        if (!IsValidKind(kind))
            throw Invalid($"kind {(int)kind} is not one of story, plan, runbook, adr, journey");
    }

    /// <summary>
    /// Refuses the whole batch when any item breaks a rule, naming the first bad item (1-based, as the server does), so
    /// that nothing of a batch is applied unless all of it could be.
    /// </summary>
    public static void ValidateBatch(string project, IReadOnlyList<RemoteChange> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ValidateProject(project);
        if (batch.Count is < 1 or > RemoteSchema.MaxPageSize)
            throw Invalid($"a push batch holds 1 to {RemoteSchema.MaxPageSize} items, not {batch.Count}");
        for (var i = 0; i < batch.Count; i++)
            ValidateChange(i + 1, batch[i]);
    }

    private static void ValidateChange(int item, RemoteChange? change)
    {
        if (change is null)
            throw Invalid($"item {item}: missing");
        if (!IsValidId(change.Id))
            throw Invalid($"item {item}: id '{Shown(change.Id)}' is not a valid artifact id (letters, digits, '.', '_', '-'; at most {MaxIdLength}; no '/' or '..')");
        if (!IsValidKind(change.Kind))
            throw Invalid($"item {item}: kind {(int)change.Kind} is not one of story, plan, runbook, adr, journey");
        if (change.BaseVersion < 0)
            throw Invalid($"item {item}: base version {change.BaseVersion} is negative");
        if (change.Content is null)
            throw Invalid($"item {item}: content is missing");
        if (change.Author is null)
            throw Invalid($"item {item}: author is missing");
        if (change.Deleted && change.Content.Length != 0)
            throw Invalid($"item {item}: a deletion carries empty content");
        if (change.Path is not null && !IsValidPath(change.Path))
            throw Invalid($"item {item}: path '{Shown(change.Path)}' must be relative, without '..', '\\' or control characters, at most {MaxPathLength} characters");
        var bytes = Encoding.UTF8.GetByteCount(change.Content);
        if (bytes > RemoteSchema.MaxContentBytes)
            throw Invalid($"item {item}: content of {change.Id} is {bytes} bytes, more than the {RemoteSchema.MaxContentBytes} the remote accepts");
        if (!HashMatches(change.Content, bytes, change.ContentHash))
            throw Invalid($"item {item}: content hash of {change.Id} is not the lower-case hex SHA-256 of its UTF-8 content");
    }

    private static bool HashMatches(string content, int byteCount, string? hash)
    {
        if (hash is null || hash.Length != SHA256.HashSizeInBytes * 2)
            return false;
        foreach (var c in hash)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
                return false;
        }
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(hash, expected, out _, out var written) != OperationStatus.Done || written != expected.Length)
            return false;

        // Contents up to 1 MiB: a pooled buffer keeps a 1,000-item batch from allocating 1,000 byte arrays.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(byteCount, 1));
        try
        {
            var length = Encoding.UTF8.GetBytes(content, buffer);
            Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), actual);
            return actual.SequenceEqual(expected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name, int maxLength)
    {
        if (string.IsNullOrEmpty(name) || name.Length > maxLength || !char.IsAsciiLetterOrDigit(name[0]))
            return false;
        foreach (var c in name.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
                return false;
        }
        return true;
    }

    /// <summary>Quotes a refused value in a message without echoing a megabyte or control characters back.</summary>
    private static string Shown(string? value)
    {
        if (value is null)
            return "(null)";
        var text = value.Length > 40 ? string.Concat(value.AsSpan(0, 40), "...") : value;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
    }

    private static RemoteException Invalid(string message) => new(RemoteErrorKind.Invalid, message, RemoteErrors.Invalid);
}
