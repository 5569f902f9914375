-- A claimaudit database at schema version 6, written by that release's Store.
-- Frozen: tests/packaging/schema_upgrade_test.cpp upgrades it with every later release.
PRAGMA user_version = 6;
BEGIN;
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,        -- 1 for 0001_init.sql
  name    TEXT NOT NULL,              -- "0001_init.sql"
  applied TEXT NOT NULL
);
CREATE TABLE finding_events (
  id            INTEGER PRIMARY KEY,
  finding_id    INTEGER NOT NULL REFERENCES findings(id),
  at            TEXT NOT NULL,
  user          TEXT NOT NULL,           -- reviewer's name, or 'claimauditd' for automatic changes
  from_status   TEXT,
  to_status     TEXT NOT NULL,
  note          TEXT,
  reason_code   TEXT,
  related_claim INTEGER REFERENCES claims(id) -- the replacing or voiding claim (automatic changes)
);
CREATE TABLE rule_loads (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  ok            INTEGER NOT NULL,        -- 1 if the set compiled and became current
  rule_set_hash TEXT,                    -- NULL when it failed
  rule_count    INTEGER NOT NULL DEFAULT 0,
  diagnostics   TEXT NOT NULL DEFAULT '[]' -- JSON: errors and warnings, located file:line:col
);
CREATE TABLE waivers (
  id         INTEGER PRIMARY KEY,
  rule_id    TEXT NOT NULL,
  scope      TEXT NOT NULL CHECK (scope IN ('payer_kind', 'billing_provider', 'code', 'claim')),
  value      TEXT NOT NULL,          -- payer kind word, NPI, normalised code, or CLM01
  owner      TEXT NOT NULL,          -- who answers for it (a person or a team)
  reason     TEXT NOT NULL,
  expires    TEXT NOT NULL,          -- YYYY-MM-DD, the last day it applies
  created_by TEXT NOT NULL,          -- Unix user (SO_PEERCRED)
  created_at TEXT NOT NULL
);
CREATE TABLE "claims" (
  id                  INTEGER PRIMARY KEY,
  fingerprint         TEXT NOT NULL,       -- hex SHA-256: provider, CLM01, frequency, DOS range, member-id hash
  claim_key           TEXT NOT NULL,       -- "NPI|CLM01" (model::claim_key): replacements match on it
  billing_provider    TEXT NOT NULL,       -- NPI, else tax id
  claim_id            TEXT NOT NULL,       -- CLM01 / identifier / claim_id
  frequency           TEXT NOT NULL,       -- 'original', 'replacement', 'void', 'other'
  frequency_code      TEXT NOT NULL DEFAULT '', -- CLM05-3 as sent
  replaces            TEXT NOT NULL DEFAULT '', -- REF*F8 / related claim
  kind                TEXT NOT NULL,       -- 'professional', 'institutional', ... 'unknown'
  use                 TEXT NOT NULL,       -- 'claim', 'preauthorization', 'predetermination'
  payer_kind          TEXT NOT NULL,       -- 'medicare', ... 'unknown'
  filing_indicator    TEXT NOT NULL DEFAULT '', -- SBR09 as sent
  payer_id            TEXT NOT NULL DEFAULT '',
  service_from        TEXT,                -- earliest date of service, NULL if none
  service_to          TEXT,                -- latest date of service
  file_id             INTEGER NOT NULL REFERENCES files(id),
  position            INTEGER NOT NULL,    -- 0-based index of the claim in its file
  interchange_control TEXT NOT NULL DEFAULT '', -- ISA13
  group_control       TEXT NOT NULL DEFAULT '', -- GS06
  transaction_control TEXT NOT NULL DEFAULT '', -- ST02
  claim_json          TEXT NOT NULL,       -- the claim without PHI (claimaudit.claim/1 field names)
  diagnostics         TEXT NOT NULL DEFAULT '[]', -- JSON: problems inside this claim
  rule_set_hash       TEXT NOT NULL,       -- rule set that audited it
  findings            INTEGER NOT NULL DEFAULT 0,
  audited             TEXT NOT NULL
, claim_json_zstd BLOB);
CREATE TABLE compression_dictionaries (
  id         INTEGER PRIMARY KEY,
  purpose    TEXT NOT NULL,
  dictionary BLOB NOT NULL
);
CREATE TABLE "files" (
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
CREATE TABLE "findings" (
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
INSERT INTO "schema_migrations" VALUES(1,'0001_init.sql','2026-11-27T03:19:14.887Z');
INSERT INTO "schema_migrations" VALUES(2,'0002_review.sql','2026-11-27T03:19:14.901Z');
INSERT INTO "schema_migrations" VALUES(3,'0003_interruptions.sql','2026-11-27T03:19:14.905Z');
INSERT INTO "schema_migrations" VALUES(4,'0004_local_identity_indexes.sql','2026-11-27T03:19:14.907Z');
INSERT INTO "schema_migrations" VALUES(5,'0005_claim_json_zstd.sql','2026-11-27T03:19:14.913Z');
INSERT INTO "schema_migrations" VALUES(6,'0006_check_without_in_lists.sql','2026-11-27T03:19:14.918Z');
INSERT INTO "finding_events" VALUES(1,1,'2026-11-27T03:19:14.940Z','claimauditd','open','corrected','replaced by claim 1245319599|A1 (frequency 7)',NULL,3);
INSERT INTO "finding_events" VALUES(2,2,'2026-11-27T03:19:14.940Z','claimauditd','open','superseded','replaced by claim 1245319599|A1 (frequency 7)',NULL,3);
INSERT INTO "finding_events" VALUES(3,3,'2026-11-26T12:00:00.000Z','ann','open','in_review','calling the clinic',NULL,NULL);
INSERT INTO "rule_loads" VALUES(1,'2026-11-27T03:19:14.921Z',1,'rulesethash',12,'[]');
INSERT INTO "claims" VALUES(1,'claim-a','1245319599|A1','1245319599','A1','original','1','','professional','claim','commercial','','','2021-10-01','2021-10-01',1,0,'','','','','[]','rulesethash',2,'2026-11-27T03:19:14.928Z',X'28B52FFD20118900007B22636C61696D5F6964223A224131227D');
INSERT INTO "claims" VALUES(2,'claim-b','1245319599|B1','1245319599','B1','original','1','','professional','claim','commercial','','','2021-10-01','2021-10-01',1,0,'','','','','[]','rulesethash',1,'2026-11-27T03:19:14.928Z',X'28B52FFD20118900007B22636C61696D5F6964223A224231227D');
INSERT INTO "claims" VALUES(3,'claim-a7','1245319599|A1','1245319599','A1','replacement','7','','professional','claim','commercial','','','2021-10-01','2021-10-01',2,0,'','','','','[]','rulesethash',1,'2026-11-27T03:19:14.940Z',X'28B52FFD20118900007B22636C61696D5F6964223A224131227D');
INSERT INTO "compression_dictionaries" VALUES(1,'claims.claim_json_zstd',X'7B22666F726D6174223A22636C61696D61756469742E636C61696D2F31222C22636C61696D5F6964223A22222C226B696E64223A22696E737469747574696F6E616C222C22757365223A22636C61696D222C226672657175656E6379223A2231222C227265706C61636573223A6E756C6C2C2262696C6C696E675F70726F7669646572223A7B226E7069223A22222C227461785F6964223A22227D2C227061796572223A7B226964223A22222C226E616D65223A22222C2270726F6772616D223A224D42227D2C2270617965725F6B696E64223A226D65646963617265222C2270617469656E74223A7B7D2C22706C6163655F6F665F73657276696365223A223131222C22666163696C6974795F74797065223A22222C22746F74616C5F636861726765223A222E3030222C226F6E7365745F64617465223A6E756C6C2C2273746174656D656E745F706572696F64223A7B2266726F6D223A22323032352D222C22746F223A22323032352D227D2C226163636964656E74223A7B226361757365223A22656D706C6F796D656E74222C2264617465223A22222C227374617465223A22227D2C22646961676E6F736573223A5B7B22736571223A312C22636F6465223A22222C22726F6C65223A227072696E636970616C222C227175616C6966696572223A2241424B222C22706F61223A2259227D2C7B22736571223A322C22636F6465223A22222C22726F6C65223A2265787465726E616C5F6361757365222C227175616C6966696572223A2241424E227D2C7B22736571223A332C22636F6465223A22222C22726F6C65223A2261646D697474696E67222C227175616C6966696572223A2241424A227D2C7B22736571223A342C22636F6465223A22222C22726F6C65223A22726561736F6E5F666F725F7669736974222C227175616C6966696572223A22415052227D2C7B22736571223A352C22636F6465223A22222C22726F6C65223A226F74686572222C227175616C6966696572223A22414246227D5D2C226C696E6573223A5B7B22736571223A312C2270726F636564757265223A7B2273797374656D223A224843222C22636F6465223A22222C226D6F64696669657273223A5B224C54225D7D2C22726576656E75655F636F6465223A22222C22756E697473223A2231222C22636861726765223A222E3030222C22736572766963655F64617465223A7B2266726F6D223A22323032352D222C22746F223A22323032352D227D2C2264785F706F696E74657273223A5B312C322C332C345D2C22706C6163655F6F665F73657276696365223A223131227D2C7B22736571223A322C2270726F636564757265223A7B2273797374656D223A224843222C22636F6465223A22222C226D6F64696669657273223A5B5D7D2C22756E697473223A2231222C22636861726765223A222E3030222C22736572766963655F64617465223A7B2266726F6D223A22323032352D30312D222C22746F223A22323032352D30312D227D2C2264785F706F696E74657273223A5B315D7D5D7D');
INSERT INTO "files" VALUES(1,'batch-0001.837','inbox','sha-first',1234,'2026-11-27T03:19:14.924Z','done',1,'archived',NULL,'x12',2,3,'rulesethash','[]','archive/a','2026-11-27T03:19:14.932Z',0);
INSERT INTO "files" VALUES(2,'batch-0002.837','inbox','sha-second',1234,'2026-11-27T03:19:14.936Z','done',1,'archived',NULL,'x12',1,1,'rulesethash','[]','archive/b','2026-11-27T03:19:14.943Z',0);
INSERT INTO "findings" VALUES(1,'finding-a1',1,1,'dx.stale_code','1','rulesethash','warning','enforce','M545',0,0,'ST 0001, segment 20 HI, HI01-2 (loop 2300)','M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59','{}','','corrected',NULL,'2026-11-27T03:19:14.928Z','2026-11-27T03:19:14.940Z','','0.1.0');
INSERT INTO "findings" VALUES(2,'finding-a2',1,1,'dx.unspecified_site','1','rulesethash','warning','enforce','M545',0,0,'ST 0001, segment 20 HI, HI01-2 (loop 2300)','M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59','{}','','superseded',NULL,'2026-11-27T03:19:14.928Z','2026-11-27T03:19:14.940Z','','0.1.0');
INSERT INTO "findings" VALUES(3,'finding-b1',2,1,'dx.stale_code','1','rulesethash','warning','enforce','M545',0,0,'ST 0001, segment 20 HI, HI01-2 (loop 2300)','M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59','{}','','in_review',NULL,'2026-11-27T03:19:14.928Z','2026-11-27T03:19:14.928Z','','0.1.0');
INSERT INTO "findings" VALUES(4,'finding-a7',3,2,'dx.unspecified_site','1','rulesethash','warning','enforce','M545',0,0,'ST 0001, segment 20 HI, HI01-2 (loop 2300)','M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59','{}','','open',NULL,'2026-11-27T03:19:14.940Z','2026-11-27T03:19:14.940Z','','0.1.0');
CREATE INDEX finding_events_finding ON finding_events(finding_id, id);
CREATE TRIGGER finding_events_no_update BEFORE UPDATE ON finding_events
BEGIN
  SELECT RAISE(ABORT, 'finding_events is append-only');
END;
CREATE TRIGGER finding_events_no_delete BEFORE DELETE ON finding_events
BEGIN
  SELECT RAISE(ABORT, 'finding_events is append-only');
END;
CREATE INDEX waivers_rule ON waivers(rule_id, expires);
CREATE TRIGGER waivers_no_delete BEFORE DELETE ON waivers
BEGIN
  SELECT RAISE(ABORT, 'waivers are kept; let them expire');
END;
CREATE UNIQUE INDEX claims_identity ON claims(claim_key, fingerprint);
CREATE INDEX claims_file ON claims(file_id, position);
CREATE INDEX files_sha256 ON files(sha256, state);
CREATE INDEX files_state ON files(state);
CREATE UNIQUE INDEX findings_identity ON findings(claim_ref, fingerprint);
CREATE INDEX findings_file ON findings(file_id);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_rule ON findings(rule_id, status);
COMMIT;
