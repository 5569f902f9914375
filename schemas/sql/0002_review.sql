-- 0002_review.sql: waivers for the review workflow (DOMAIN.md 7.1; issue 7; store/review.hpp).
--
-- A waiver accepts the risk of one rule within one scope (a payer kind, a billing provider, a
-- code, or one claim) until its expiry date, inclusive. Findings it covers stay recorded with
-- their own status; queries mark them with the waiver's id at read time, so an expired waiver
-- stops applying without any row being rewritten. Waivers are never deleted.

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
CREATE INDEX waivers_rule ON waivers(rule_id, expires);

CREATE TRIGGER waivers_no_delete BEFORE DELETE ON waivers
BEGIN
  SELECT RAISE(ABORT, 'waivers are kept; let them expire');
END;
