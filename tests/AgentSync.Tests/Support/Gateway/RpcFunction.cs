using Npgsql;

namespace AgentSync.Tests.Support.Gateway;

public sealed record RpcArgument(string Name, string Type);

/// <summary>
/// One function of the exposed schema as PostgREST's schema cache sees it: its input parameters (by name and type) and
/// the shape of its result, which decides the shape of the JSON answer.
/// </summary>
public sealed record RpcFunction(string Schema, string Name, IReadOnlyList<RpcArgument> Inputs, int Defaults, bool ReturnsSet, bool ReturnsRow, bool ReturnsVoid)
{
    private const string CatalogQuery = """
        select p.proretset,
               p.prorettype = 'pg_catalog.void'::regtype,
               p.prorettype = 'pg_catalog.record'::regtype or t.typtype = 'c',
               p.pronargdefaults,
               coalesce(p.proargnames, array[]::text[]),
               coalesce(p.proargmodes::text[], array[]::text[]),
               array(select pg_catalog.format_type(a.type, null)
                     from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as a(type, position)
                     order by a.position)
        from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        join pg_catalog.pg_type t on t.oid = p.prorettype
        where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'
        order by p.oid
        """;

    /// <summary>
    /// The overload whose named parameters accept exactly these keys (parameters with defaults may be left out), or null:
    /// PostgREST answers 404 PGRST202 for an unknown function and for unknown or missing arguments alike.
    /// </summary>
    public static async Task<RpcFunction?> FindAsync(NpgsqlConnection connection, string schema, string name, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CatalogQuery, connection) { Parameters = { new() { Value = schema }, new() { Value = name } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var overloads = new List<RpcFunction>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var names = reader.GetFieldValue<string[]>(4);
            var modes = reader.GetFieldValue<string[]>(5);
            var types = reader.GetFieldValue<string[]>(6);
            var inputs = new List<RpcArgument>();
            for (var i = 0; i < types.Length; i++)
            {
                var mode = modes.Length == 0 ? "i" : modes[i];
                if (mode is "i" or "b" or "v")
                    inputs.Add(new RpcArgument(i < names.Length ? names[i] : "", types[i]));
            }
            overloads.Add(new RpcFunction(schema, name, inputs, reader.GetInt16(3), reader.GetBoolean(0), reader.GetBoolean(2), reader.GetBoolean(1)));
        }
        return overloads.FirstOrDefault(f => f.Accepts(keys));
    }

    private bool Accepts(IReadOnlyCollection<string> keys)
    {
        var names = Inputs.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var required = Inputs.Take(Inputs.Count - Defaults).Select(a => a.Name);
        return keys.All(names.Contains) && required.All(keys.Contains);
    }

    /// <summary>
    /// The statement PostgREST would run: arguments bound by name from the JSON body through json_to_record (so JSON
    /// arrays become SQL arrays of the parameter's type), the result cut at <paramref name="maxRows"/> and rendered as
    /// JSON by the database. The one parameter ($1) is the request body.
    /// </summary>
    public string CallSql(IReadOnlyCollection<string> keys, int maxRows)
    {
        var provided = Inputs.Where(a => keys.Contains(a.Name)).ToList();
        var call = $"{Quote(Schema)}.{Quote(Name)}({string.Join(", ", provided.Select(a => $"{Quote(a.Name)} := _args.{Quote(a.Name)}"))})";
        var args = provided.Count == 0 ? null : $"json_to_record($1::json) as _args({string.Join(", ", provided.Select(a => $"{Quote(a.Name)} {a.Type}"))})";
        var source = args is null ? $"{call} as _call" : $"{args}, lateral {call} as _call";
        if (ReturnsVoid)
            return $"select null::text from {source}";
        if (ReturnsRow && ReturnsSet)
            return $"select coalesce(json_agg(_rows), '[]')::text from (select _call.* from {source} limit {maxRows}) _rows";
        if (ReturnsSet)
            return $"select coalesce(json_agg(_rows._value), '[]')::text from (select _call._value from {source.Replace(" as _call", " as _call(_value)", StringComparison.Ordinal)} limit {maxRows}) _rows";
        if (ReturnsRow)
            return $"select to_json(_call)::text from {source}";
        return args is null ? $"select to_json({call})::text" : $"select to_json({call})::text from {args}";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
