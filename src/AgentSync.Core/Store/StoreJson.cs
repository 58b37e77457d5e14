using System.Text.Json.Serialization;

namespace AgentSync.Store;

/// <summary>Source-generated JSON for the lists the store hands SQLite's json_each (no reflection, trim-safe).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string[][]))]
internal sealed partial class StoreJson : JsonSerializerContext;
