namespace AgentSync.Remote.SqliteFile;

public sealed partial class SqliteFileRemote
{
    /// <summary>
    /// The file's schema: the tables of supabase/migrations/20261125000000_agent_sync.sql reduced to what one machine
    /// needs (no roles, no RLS: the owner of the file is privileged). Every statement is idempotent so that two
    /// processes creating the same new file at once end with one schema. Kept in C# rather than an embedded .sql so
    /// this transport owns no build item; it is short and only ever run whole.
    /// </summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS schema_version (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );

        -- last_seq is the per-project counter; it is only written inside BEGIN IMMEDIATE, so sequence numbers are
        -- handed out in commit order.
        CREATE TABLE IF NOT EXISTS projects (
            name       TEXT PRIMARY KEY,
            last_seq   INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;

        -- The head of every artifact, tombstones included (deleted = 1, content = '').
        CREATE TABLE IF NOT EXISTS artifacts (
            project      TEXT NOT NULL REFERENCES projects (name),
            id           TEXT NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('story', 'plan', 'runbook', 'adr', 'journey')),
            version      INTEGER NOT NULL CHECK (version >= 1),
            content      TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            deleted      INTEGER NOT NULL CHECK (deleted IN (0, 1)),
            author       TEXT NOT NULL,
            path         TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            PRIMARY KEY (project, id, kind)
        );

        -- Append-only: one row per accepted change. change_id is unique so that a retried change finds its result.
        CREATE TABLE IF NOT EXISTS change_log (
            project      TEXT NOT NULL REFERENCES projects (name),
            seq          INTEGER NOT NULL,
            change_id    BLOB NOT NULL UNIQUE,
            id           TEXT NOT NULL,
            kind         TEXT NOT NULL,
            version      INTEGER NOT NULL,
            content      TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            deleted      INTEGER NOT NULL,
            author       TEXT NOT NULL,
            description  TEXT,
            path         TEXT,
            created_at   TEXT NOT NULL,
            PRIMARY KEY (project, seq)
        );
        CREATE UNIQUE INDEX IF NOT EXISTS change_log_artifact_version ON change_log (project, id, kind, version);

        CREATE TABLE IF NOT EXISTS id_counters (
            project    TEXT NOT NULL REFERENCES projects (name),
            scope      TEXT NOT NULL,
            last_value INTEGER NOT NULL,
            PRIMARY KEY (project, scope)
        ) WITHOUT ROWID;

        -- Append-only and hash-chained: row_hash covers prev_hash and the row, so an edited or removed row breaks
        -- the chain from that point on.
        CREATE TABLE IF NOT EXISTS audit_log (
            seq        INTEGER PRIMARY KEY,
            project    TEXT NOT NULL,
            operation  TEXT NOT NULL,
            outcome    TEXT NOT NULL,
            details    TEXT NOT NULL CHECK (json_valid(details)),
            actor      TEXT NOT NULL,
            actor_pseudonym TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            prev_hash  TEXT NOT NULL,
            row_hash   TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS audit_log_project ON audit_log (project, seq);

        -- Identities in the audit chain are hashed as pseudonyms; forget deletes the mapping, the chain stays valid.
        CREATE TABLE IF NOT EXISTS actor_pseudonyms (
            email     TEXT PRIMARY KEY,
            pseudonym TEXT NOT NULL UNIQUE
        ) WITHOUT ROWID;

        CREATE TRIGGER IF NOT EXISTS change_log_append_only_update BEFORE UPDATE ON change_log
        BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS change_log_append_only_delete BEFORE DELETE ON change_log
        BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """;
}
