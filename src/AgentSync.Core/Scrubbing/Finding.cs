namespace AgentSync.Scrubbing;

/// <summary>Secrets always block a push; PII is blocked or redacted according to the <see cref="PiiPolicy"/>.</summary>
public enum FindingCategory
{
    Secret,
    Pii,
}

/// <summary>
/// One secret or piece of personal data found in content. <see cref="Index"/> and <see cref="Length"/> are UTF-16 offsets
/// into the scanned string; <see cref="Line"/> and <see cref="Column"/> are 1-based so they can be printed as file:line:col.
/// <see cref="Preview"/> keeps only the ends of the match, so a finding can be logged or shown without leaking it.
/// </summary>
public sealed record Finding(FindingCategory Category, string Kind, int Line, int Column, int Index, int Length, string Preview);
