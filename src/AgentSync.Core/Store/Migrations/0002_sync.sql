-- Sync bookkeeping: a stat cache so status need not hash unchanged files (like git's index), conflict and tombstone
-- flags, the remote's state when Git keeps a different one, the outbox and the pull cursor.
ALTER TABLE artifacts ADD COLUMN file_size INTEGER;
ALTER TABLE artifacts ADD COLUMN file_mtime INTEGER;
ALTER TABLE artifacts ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN remote_state TEXT;
ALTER TABLE artifacts ADD COLUMN remote_version INTEGER;
ALTER TABLE artifacts ADD COLUMN remote_hash TEXT;
ALTER TABLE artifacts ADD COLUMN remote_author TEXT;

-- Changes not yet acknowledged by the remote. The change id is stored before the first send and reused on every
-- retry, so a lost response never applies a change twice. Entries are never edited after their first send.
CREATE TABLE outbox (
    change_id    TEXT PRIMARY KEY,
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    author       TEXT NOT NULL,
    description  TEXT,
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    rejected     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE UNIQUE INDEX outbox_artifact ON outbox (id, kind);

CREATE TABLE cursors (
    remote   TEXT NOT NULL,
    project  TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (remote, project)
) WITHOUT ROWID;
