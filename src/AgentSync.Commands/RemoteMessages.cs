using AgentSync.Remote;

namespace AgentSync.Commands;

/// <summary>What a user should do about each kind of remote refusal.</summary>
public static class RemoteMessages
{
    public static string Describe(RemoteException e) => e.Kind switch
    {
        RemoteErrorKind.Unauthorized => $"the remote refused the credentials ({e.Message}); check SUPABASE_SERVICE_ROLE_KEY, or SUPABASE_ANON_KEY and SUPABASE_ACCESS_TOKEN (PGPASSWORD for postgresql://), and that you are a member of the project",
        RemoteErrorKind.NotFound => $"{e.Message}; check 'project' in .agent/etc/sync.yaml, ask a member to add you, or run 'agent sync init --remote URL --project NAME' with credentials that may create it",
        RemoteErrorKind.SchemaMismatch => e.Message,
        _ => $"the remote refused the request: {e.Message}",
    };
}
