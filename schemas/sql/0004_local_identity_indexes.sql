-- 0004: the idempotency indexes keyed where new rows land, not at random.
--
-- claims.fingerprint and findings.fingerprint were each UNIQUE on their own: SHA-256 hex, so
-- every new row went to a random page of its index, and every group commit wrote most of both
-- indexes to the WAL again (and read them back through a page cache that cannot hold them): two
-- thirds of the pages the daemon wrote for the 100k-claim benchmark (docs/benchmarks.md, Daemon,
-- session 5). The same uniqueness, led by a key that new rows share with their neighbours:
--
-- * claims: UNIQUE (claim_key, fingerprint). The claim fingerprint (DOMAIN.md 2.6) covers the
--   billing provider and CLM01, which are the claim key, so one fingerprint always comes with one
--   claim key and the pair is unique exactly when the fingerprint is. Claim keys of a file are
--   one provider's claim numbers, mostly in order. It also serves every lookup by claim key
--   (replacements, claim.duplicate), so claims_key (claim_key, id) goes.
-- * findings: UNIQUE (claim_ref, fingerprint). A finding's fingerprint covers its claim's, and
--   the store records a claim's findings only with the claim's own row (a claim already
--   recorded is skipped with its findings), so one fingerprint always comes with one claim row.
--   New claims get new rows: their findings go to the end of the index. It also serves every
--   lookup by claim (a claim's findings, replacements), so findings_claim (claim_ref) goes.
--
-- A UNIQUE column constraint cannot be dropped, so both tables are rebuilt the way SQLite
-- documents (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
-- Changes"): new table, rows copied with their ids, old table dropped, new one renamed, indexes
-- made again. The store runs migrations with foreign keys off and checks them before each
-- commit. Columns, their order, types, defaults and every value are unchanged.

CREATE TABLE claims_0004 (
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
);
INSERT INTO claims_0004 SELECT * FROM claims;
DROP TABLE claims;
ALTER TABLE claims_0004 RENAME TO claims;
CREATE UNIQUE INDEX claims_identity ON claims(claim_key, fingerprint);
CREATE INDEX claims_file ON claims(file_id, position);

CREATE TABLE findings_0004 (
  id             INTEGER PRIMARY KEY,
  fingerprint    TEXT NOT NULL,
  claim_ref      INTEGER NOT NULL REFERENCES claims(id),
  file_id        INTEGER NOT NULL REFERENCES files(id),
  rule_id        TEXT NOT NULL,           -- "dx.stale_code"
  rule_version   TEXT NOT NULL DEFAULT '',
  rule_set_hash  TEXT NOT NULL,
  severity       TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  mode           TEXT NOT NULL CHECK (mode IN ('enforce', 'shadow')),
  code           TEXT NOT NULL DEFAULT '', -- normalised ("M545"); '' for claim rules
  diagnosis_seq  INTEGER NOT NULL DEFAULT 0,
  line_seq       INTEGER NOT NULL DEFAULT 0,
  location       TEXT NOT NULL DEFAULT '', -- "ST 0001, segment 20 HI, HI01-2 (loop 2300)" or a JSON pointer
  message        TEXT NOT NULL,
  evidence       TEXT NOT NULL DEFAULT '{}', -- JSON object
  predicts       TEXT NOT NULL DEFAULT '',   -- "CARC 146"
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN
                   ('open', 'in_review', 'corrected', 'waived', 'false_positive', 'superseded', 'reopened')),
  assignee       TEXT,
  created        TEXT NOT NULL,
  updated        TEXT NOT NULL,
  code_edition   TEXT NOT NULL DEFAULT '',
  engine_version TEXT NOT NULL DEFAULT ''
);
INSERT INTO findings_0004 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0004 RENAME TO findings;
CREATE UNIQUE INDEX findings_identity ON findings(claim_ref, fingerprint);
CREATE INDEX findings_file ON findings(file_id);
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_rule ON findings(rule_id, status);
