-- 0002_review.sql: the review workflow (DOMAIN.md 7.1; issue 7). Owned by daemon/store/review.
-- Adds the assignee and reason codes, waivers, and makes the audit trail append-only.

ALTER TABLE findings ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE finding_events ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';

-- A waiver accepts the risk of one rule within one scope until its expiry date (inclusive).
-- Findings it covers stay recorded; queries mark them with the waiver's id.
CREATE TABLE waivers (
  id INTEGER PRIMARY KEY,
  rule_id TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('payer_kind', 'billing_provider', 'code', 'claim')),
  value TEXT NOT NULL,
  owner TEXT NOT NULL,
  reason TEXT NOT NULL,
  expires TEXT NOT NULL,            -- YYYY-MM-DD, last day it applies.
  created_by TEXT NOT NULL,         -- Unix user.
  created_at TEXT NOT NULL
);
CREATE INDEX waivers_rule ON waivers(rule_id, expires);

CREATE INDEX IF NOT EXISTS findings_status_rule ON findings(status, rule_id);
CREATE INDEX IF NOT EXISTS finding_events_finding ON finding_events(finding_id);

-- Nobody can edit or delete history.
CREATE TRIGGER finding_events_no_update BEFORE UPDATE ON finding_events
BEGIN SELECT RAISE(ABORT, 'finding_events is append-only'); END;
CREATE TRIGGER finding_events_no_delete BEFORE DELETE ON finding_events
BEGIN SELECT RAISE(ABORT, 'finding_events is append-only'); END;
CREATE TRIGGER waivers_no_delete BEFORE DELETE ON waivers
BEGIN SELECT RAISE(ABORT, 'waivers are kept; let them expire'); END;
