-- Files a pull wrote and left to the kernel's writeback instead of flushing them before its page committed, with the
-- boot they were written in. Until they are known to be on disk, a reboot since then (a crash, a power cut) means the
-- next run checks them against their rows and restores what the crash cut short (see Sync/Writeback.cs).
CREATE TABLE writeback (
    path    TEXT PRIMARY KEY,
    boot_id TEXT NOT NULL,
    at      TEXT NOT NULL
) WITHOUT ROWID;
