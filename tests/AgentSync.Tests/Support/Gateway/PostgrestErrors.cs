using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentSync.Tests.Support.Gateway;

/// <summary>PostgREST's error body and its SQLSTATE to HTTP status table (docs.postgrest.org, "Errors").</summary>
public static class PostgrestErrors
{
    /// <param name="anonymous">42501 is 401 for an anonymous request (log in to get further) and 403 once authenticated.</param>
    public static int Status(string sqlState, bool anonymous)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        if (sqlState.Length == 5 && sqlState.StartsWith("PT", StringComparison.Ordinal)
            && int.TryParse(sqlState.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var custom) && custom >= 100)
            return custom;
        return sqlState switch
        {
            "23503" or "23505" => 409,
            "25006" => 405,
            "53400" => 500,
            "P0001" => 400,
            "42883" => 404,
            "42P01" => 404,
            "42P17" => 500,
            "42501" => anonymous ? 401 : 403,
            _ => sqlState[..Math.Min(2, sqlState.Length)] switch
            {
                "08" => 503,
                "53" => 503,
                "0L" or "0P" or "28" => 403,
                "09" or "25" or "2D" or "38" or "39" or "3B" or "40" or "54" or "55" or "57" or "58" or "F0" or "HV" or "P0" or "XX" => 500,
                _ => 400,
            },
        };
    }

    public static IResult Result(int status, string code, string message, string? details = null, string? hint = null) =>
        Results.Text(Body(code, message, details, hint), "application/json; charset=utf-8", statusCode: status);

    public static string Body(string code, string message, string? details = null, string? hint = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["code"] = code, ["details"] = details, ["hint"] = hint, ["message"] = message });
}
