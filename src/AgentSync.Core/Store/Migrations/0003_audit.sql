-- The local audit trail: every sync operation, whether or not it reached a remote.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    operation  TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    details    TEXT NOT NULL,
    remote_seq INTEGER
);

CREATE INDEX audit_at ON audit (at);
