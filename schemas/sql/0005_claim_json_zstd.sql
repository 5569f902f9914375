-- 0005: the claim JSON compressed (zstd with a dictionary kept in the database).
--
-- claims.claim_json was 1,315 bytes a claim on the benchmark's workload, four fifths of a claim
-- row and 40% of what the daemon wrote per claim: the store thread spent about half its time on
-- it (docs/benchmarks.md, Daemon, session 5). From this version the store writes the JSON as
-- a zstd frame (level 1) made with dictionary 1 below into claim_json_zstd, about 250 bytes, and
-- leaves claim_json ''. Rows written before keep their text and a NULL claim_json_zstd. Readers
-- go through the SQL function claim_json(claim_json, claim_json_zstd) that store::Queries
-- registers (store/claim_json_codec.hpp); by hand:
--   sqlite3 claimaudit.db "SELECT writefile('d', dictionary) FROM compression_dictionaries
--                          WHERE id = 1; SELECT writefile('c.zst', claim_json_zstd) FROM claims
--                          WHERE id = 42" && zstd -d -D d c.zst -c
--
-- The dictionary is raw content (no training): the keys and common words of a claim as
-- audit::claim_json_without_phi writes it, no real data. Never edit it: frames made with it
-- need it byte for byte. A better one would be dictionary 2, with a column saying which.
ALTER TABLE claims ADD COLUMN claim_json_zstd BLOB; -- zstd frame of the claim JSON (dictionary 1), or NULL: claim_json holds it

CREATE TABLE compression_dictionaries (
  id         INTEGER PRIMARY KEY,
  purpose    TEXT NOT NULL,
  dictionary BLOB NOT NULL
);
INSERT INTO compression_dictionaries (id, purpose, dictionary) VALUES (1, 'claims.claim_json_zstd',
  CAST('{"format":"claimaudit.claim/1","claim_id":"","kind":"institutional","use":"claim","frequency":"1","replaces":null,"billing_provider":{"npi":"","tax_id":""},"payer":{"id":"","name":"","program":"MB"},"payer_kind":"medicare","patient":{},"place_of_service":"11","facility_type":"","total_charge":".00","onset_date":null,"statement_period":{"from":"2025-","to":"2025-"},"accident":{"cause":"employment","date":"","state":""},"diagnoses":[{"seq":1,"code":"","role":"principal","qualifier":"ABK","poa":"Y"},{"seq":2,"code":"","role":"external_cause","qualifier":"ABN"},{"seq":3,"code":"","role":"admitting","qualifier":"ABJ"},{"seq":4,"code":"","role":"reason_for_visit","qualifier":"APR"},{"seq":5,"code":"","role":"other","qualifier":"ABF"}],"lines":[{"seq":1,"procedure":{"system":"HC","code":"","modifiers":["LT"]},"revenue_code":"","units":"1","charge":".00","service_date":{"from":"2025-","to":"2025-"},"dx_pointers":[1,2,3,4],"place_of_service":"11"},{"seq":2,"procedure":{"system":"HC","code":"","modifiers":[]},"units":"1","charge":".00","service_date":{"from":"2025-01-","to":"2025-01-"},"dx_pointers":[1]}]}' AS BLOB));
