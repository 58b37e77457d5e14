using AgentSync.Remote;

namespace AgentSync.Tests.Support;

/// <summary>The SQL the test server is built from: the Supabase stand-in, then the migration exactly as shipped.</summary>
public static class SqlScripts
{
    /// <summary>Supabase's roles and auth functions, which a real Supabase project has before any migration.</summary>
    public static string SupabaseBootstrap() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Support", "supabase_bootstrap.sql"));

    /// <summary>The migration embedded in AgentSync.Core, byte for byte the file under supabase/migrations.</summary>
    public static string AgentSyncMigration()
    {
        var name = "AgentSync.Supabase." + Path.GetFileName(RemoteSchema.Migration);
        using var stream = typeof(RemoteSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in AgentSync.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
