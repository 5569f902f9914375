-- 0006: the same CHECK constraints, written without IN lists.
--
-- SQLite evaluates `x IN ('a', 'b', 'c')` with three or more values by building a temporary
-- b-tree of the list, once per statement run: every finding INSERT built two (severity, status)
-- and threw them away, about 8% of the store thread's time in the daemon benchmark
-- (docs/benchmarks.md, Daemon, session 6); a file's INSERT and its finishing UPDATE built one
-- (outcome). `x = 'a' OR x = 'b' OR x = 'c'` accepts and refuses exactly the same values (a NULL
-- passes both ways, the comparison uses the column's collation both ways) with plain
-- comparisons. Every row already satisfies them.
--
-- A CHECK constraint cannot be altered, so findings and files are rebuilt the way SQLite
-- documents (as 0004 did): new table, rows copied with their ids, old table dropped, new one
-- renamed, indexes made again. The store runs migrations with foreign keys off and checks them
-- before the commit. Columns, their order, types, defaults, every value and every index are
-- unchanged.

CREATE TABLE files_0006 (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,          -- file name as dropped, no directory: "batch-0412.837"
  drop_dir     TEXT NOT NULL DEFAULT '', -- name of the drop directory (config) it came from
  sha256       TEXT NOT NULL,          -- hex SHA-256 of the bytes
  size         INTEGER NOT NULL,
  received     TEXT NOT NULL,          -- first recorded
  state        TEXT NOT NULL CHECK (state = 'in_progress' OR state = 'done'),
  attempts     INTEGER NOT NULL DEFAULT 1, -- audits started; a third start means poison
  outcome      TEXT CHECK (outcome = 'archived' OR outcome = 'quarantined' OR outcome = 'duplicate'), -- NULL while in progress
  duplicate_of INTEGER REFERENCES files(id), -- outcome 'duplicate': the file first audited
  format       TEXT,                   -- "x12", "claimaudit-json", "fhir", "unknown"
  claims       INTEGER NOT NULL DEFAULT 0, -- claims recorded from this file
  findings     INTEGER NOT NULL DEFAULT 0, -- findings recorded from this file
  rule_set_hash TEXT,                  -- rule set the file was audited with
  diagnostics  TEXT NOT NULL DEFAULT '[]', -- JSON [{severity, code, where, message}]: file-level problems
  stored_path  TEXT,                   -- relative to the state dir: "archive/2026-11-26/batch-0412.837"
  finished     TEXT,                   -- when state became 'done'
  interruptions INTEGER NOT NULL DEFAULT 0 -- audits cut short by stops from outside (0003)
);
INSERT INTO files_0006 SELECT * FROM files;
DROP TABLE files;
ALTER TABLE files_0006 RENAME TO files;
CREATE INDEX files_sha256 ON files(sha256, state);
CREATE INDEX files_state ON files(state);

CREATE TABLE findings_0006 (
  id             INTEGER PRIMARY KEY,
  fingerprint    TEXT NOT NULL,
  claim_ref      INTEGER NOT NULL REFERENCES claims(id),
  file_id        INTEGER NOT NULL REFERENCES files(id),
  rule_id        TEXT NOT NULL,           -- "dx.stale_code"
  rule_version   TEXT NOT NULL DEFAULT '',
  rule_set_hash  TEXT NOT NULL,
  severity       TEXT NOT NULL CHECK (severity = 'info' OR severity = 'warning' OR severity = 'error'),
  mode           TEXT NOT NULL CHECK (mode = 'enforce' OR mode = 'shadow'),
  code           TEXT NOT NULL DEFAULT '', -- normalised ("M545"); '' for claim rules
  diagnosis_seq  INTEGER NOT NULL DEFAULT 0,
  line_seq       INTEGER NOT NULL DEFAULT 0,
  location       TEXT NOT NULL DEFAULT '', -- "ST 0001, segment 20 HI, HI01-2 (loop 2300)" or a JSON pointer
  message        TEXT NOT NULL,
  evidence       TEXT NOT NULL DEFAULT '{}', -- JSON object
  predicts       TEXT NOT NULL DEFAULT '',   -- "CARC 146"
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'in_review' OR
                   status = 'corrected' OR status = 'waived' OR status = 'false_positive' OR
                   status = 'superseded' OR status = 'reopened'),
  assignee       TEXT,
  created        TEXT NOT NULL,
  updated        TEXT NOT NULL,
  code_edition   TEXT NOT NULL DEFAULT '',
  engine_version TEXT NOT NULL DEFAULT ''
);
INSERT INTO findings_0006 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0006 RENAME TO findings;
CREATE UNIQUE INDEX findings_identity ON findings(claim_ref, fingerprint);
CREATE INDEX findings_file ON findings(file_id);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_rule ON findings(rule_id, status);
