-- The local index of artifacts: one row per (id, kind), the recorded content as a content-addressed blob, and the
-- remote version and blob it is based on, so every pull and every rejected push can merge three ways.
CREATE TABLE artifacts (
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    scope        TEXT NOT NULL,
    title        TEXT NOT NULL,
    state        TEXT,
    path         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    base_version INTEGER NOT NULL DEFAULT 0,
    base_hash    TEXT,
    author       TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (id, kind)
) WITHOUT ROWID;

CREATE UNIQUE INDEX artifacts_path ON artifacts (path);
CREATE INDEX artifacts_state ON artifacts (state, kind);

CREATE TABLE blobs (
    hash    TEXT PRIMARY KEY,
    content TEXT NOT NULL
) WITHOUT ROWID;

-- Every local change recorded, newest last: what `agent sync log` shows before anything reaches a remote.
CREATE TABLE history (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    operation    TEXT NOT NULL,
    content_hash TEXT,
    author       TEXT,
    at           TEXT NOT NULL
);

CREATE INDEX history_artifact ON history (id, kind, seq);
