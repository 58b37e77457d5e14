using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace AgentSync.Tests.Remote;

/// <summary>
/// docs/openapi.yaml documents the RPC surface that the migrations create; this fails when a function, a parameter or
/// a parameter's type is in one and not the other, so neither can drift silently.
/// </summary>
public sealed partial class OpenApiSpecTests
{
    private const string RpcPrefix = "/rest/v1/rpc/";

    private sealed record SqlParameter(string Name, string Type);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSync.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("AgentSync.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every <c>create function public.agent_sync_*</c> of every migration, with its parameters.</summary>
    private static Dictionary<string, List<SqlParameter>> MigrationFunctions()
    {
        var functions = new Dictionary<string, List<SqlParameter>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "supabase", "migrations"), "*.sql").Order(StringComparer.Ordinal))
        {
            var sql = StripComments(File.ReadAllText(file));
            foreach (Match match in PublicFunction().Matches(sql))
            {
                var parameters = match.Groups["params"].Value
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => p.Split((char[])[' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(p => new SqlParameter(p[0], Regex.Replace(p[1].ToLowerInvariant(), @"\s+default\s+.*$", "")))
                    .ToList();
                // A later migration's create or replace supersedes an earlier declaration.
                functions[match.Groups["name"].Value] = parameters;
            }
        }

        return functions;
    }

    private static string StripComments(string sql) => LineComment().Replace(sql, "");

    private static Dictionary<object, object> Spec() =>
        (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "openapi.yaml")))!;

    private static Dictionary<object, object> Map(object? node, string where) =>
        node as Dictionary<object, object> ?? throw new InvalidOperationException($"{where}: expected a mapping");

    private static Dictionary<object, object> Resolve(Dictionary<object, object> spec, Dictionary<object, object> schema)
    {
        while (schema.TryGetValue("$ref", out var reference))
        {
            var path = ((string)reference).TrimStart('#', '/').Split('/');
            var node = (object)spec;
            foreach (var part in path)
                node = Map(node, (string)reference)[part];
            schema = Map(node, (string)reference);
        }

        return schema;
    }

    private static string SchemaType(Dictionary<object, object> schema) => schema["type"] switch
    {
        string single => single,
        List<object> many => many.Cast<string>().First(t => t != "null"),
        var other => throw new InvalidOperationException($"unexpected type {other}"),
    };

    /// <summary>How a parameter of this SQL type must be described in JSON Schema: type, format (or null), item.</summary>
    private static (string Type, string? Format) Expected(string sqlType) => sqlType switch
    {
        "text" => ("string", null),
        "int" or "integer" => ("integer", "int32"),
        "bigint" => ("integer", "int64"),
        "boolean" => ("boolean", null),
        "uuid" => ("string", "uuid"),
        "jsonb" => ("object", null),
        "timestamptz" => ("string", "date-time"),
        _ => throw new InvalidOperationException($"no JSON mapping for SQL type {sqlType}: add it to the test"),
    };

    private static void CheckDescribes(Dictionary<object, object> spec, Dictionary<object, object> schema, string sqlType, string where, List<string> problems)
    {
        schema = Resolve(spec, schema);
        if (sqlType.EndsWith("[]", StringComparison.Ordinal))
        {
            if (SchemaType(schema) != "array" || !schema.ContainsKey("items"))
                problems.Add($"{where}: {sqlType} must be an array with items");
            else
                CheckDescribes(spec, Map(schema["items"], where), sqlType[..^2], where + "[]", problems);
            return;
        }

        var (type, format) = Expected(sqlType);
        if (SchemaType(schema) != type)
            problems.Add($"{where}: {sqlType} must be type {type}, the spec says {SchemaType(schema)}");
        else if (format is not null && type == "string" && !(schema.TryGetValue("format", out var f) && (string)f == format))
            problems.Add($"{where}: {sqlType} must have format {format}");
    }

    [Fact]
    public void The_migration_declares_the_functions_the_client_calls()
    {
        var functions = MigrationFunctions();

        Assert.Contains("agent_sync_push", functions.Keys);
        Assert.Equal(13, functions["agent_sync_push"].Count);
        Assert.Equal(new SqlParameter("p_change_ids", "uuid[]"), functions["agent_sync_push"][2]);
    }

    [Fact]
    public void Every_migration_function_is_documented_with_exactly_its_parameters_and_types()
    {
        var spec = Spec();
        var paths = Map(spec["paths"], "paths");
        var problems = new List<string>();

        foreach (var (function, parameters) in MigrationFunctions())
        {
            if (!paths.TryGetValue(RpcPrefix + function, out var path))
            {
                problems.Add($"{function}: no path {RpcPrefix}{function} in docs/openapi.yaml");
                continue;
            }

            var body = Resolve(spec, Map(Map(Map(Map(Map(Map(path, function)["post"], function)["requestBody"], function)["content"], function)["application/json"], function)["schema"], function));
            var properties = body.TryGetValue("properties", out var p) && p is Dictionary<object, object> map ? map : [];
            var documented = properties.Keys.Cast<string>().ToHashSet(StringComparer.Ordinal);
            var declared = parameters.Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(declared.Except(documented).Select(name => $"{function}: parameter {name} is not in the spec"));
            problems.AddRange(documented.Except(declared).Select(name => $"{function}: the spec documents {name}, the function has no such parameter"));
            foreach (var parameter in parameters.Where(x => documented.Contains(x.Name)))
                CheckDescribes(spec, Map(properties[parameter.Name], function), parameter.Type, $"{function}.{parameter.Name}", problems);
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_documented_rpc_exists_in_the_migrations()
    {
        var functions = MigrationFunctions();
        var paths = Map(Spec()["paths"], "paths").Keys.Cast<string>().ToList();

        Assert.All(paths, path => Assert.StartsWith(RpcPrefix, path, StringComparison.Ordinal));
        Assert.DoesNotContain(paths.Select(p => p[RpcPrefix.Length..]), f => !functions.ContainsKey(f));
    }

    [Fact]
    public void Every_rpc_documents_the_postgrest_error_shape_and_both_credentials()
    {
        var spec = Spec();
        var error = Resolve(spec, Map(Map(Map(spec["components"], "components")["schemas"], "schemas")["Error"], "Error"));
        var schemes = Map(Map(spec["components"], "components")["securitySchemes"], "securitySchemes");

        Assert.Equal(["code", "details", "hint", "message"], Map(error["properties"], "Error").Keys.Cast<string>().Order(StringComparer.Ordinal));
        Assert.Equal(["apikey", "bearer"], schemes.Keys.Cast<string>().Order(StringComparer.Ordinal));
        foreach (var (path, operations) in Map(spec["paths"], "paths"))
            Assert.True(Map(Map(operations, (string)path)["post"], (string)path).ContainsKey("responses"), $"{path} has no responses");
    }

    [GeneratedRegex(@"create\s+(?:or\s+replace\s+)?function\s+public\.(?<name>agent_sync_\w+)\s*\((?<params>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex PublicFunction();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
