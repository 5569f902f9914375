-- Stand-in for the daemon's schemas/sql/0001_init.sql until it lands: the columns the status
-- socket's queries read. Replaced by the real migration as soon as it is on main.
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  diagnostics TEXT
);
CREATE TABLE claims (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  position INTEGER NOT NULL,
  claim_key TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payer_kind TEXT NOT NULL,
  frequency_code TEXT,
  billing_npi TEXT,
  service_from TEXT,
  service_to TEXT,
  total_charge TEXT,
  diagnoses TEXT
);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  claim_row INTEGER NOT NULL REFERENCES claims(id),
  rule_id TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  rule_set_hash TEXT NOT NULL,
  severity TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  fingerprint TEXT NOT NULL UNIQUE,
  code TEXT,
  diagnosis_seq INTEGER NOT NULL DEFAULT 0,
  line_seq INTEGER NOT NULL DEFAULT 0,
  location TEXT,
  message TEXT NOT NULL,
  evidence TEXT,
  predicts TEXT,
  code_edition TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE finding_events (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  old_status TEXT,
  new_status TEXT NOT NULL,
  note TEXT
);
