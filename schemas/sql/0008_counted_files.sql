-- 0008: files.claims and files.findings kept as running counts; claims_file and findings_file
-- dropped.
--
-- The two indexes served one statement: finish_file's count(*) of the file's claims and
-- findings. Every claim and finding row paid for them (an entry in each, about 13% of the
-- store's instructions a claim: docs/benchmarks.md, Daemon, session 9), and no reader's query
-- plan uses them (EXPLAIN QUERY PLAN of every query of store/queries.cpp, store/review.cpp and
-- claimctl: they filter files by name through files' own rows, and findings by id, status or
-- rule). From this version record_batch adds the claims and findings it inserted to the file's
-- row in the same transaction, so the counts stay exact through crashes and re-audits (a row
-- already present is not inserted, so not counted again), and finish_file reads them. A file
-- still in progress when this migration runs gets its counts of the rows already written, so
-- its audit, resumed by the new daemon, ends with the same totals as before.
UPDATE files SET claims = (SELECT count(*) FROM claims WHERE claims.file_id = files.id),
                 findings = (SELECT count(*) FROM findings WHERE findings.file_id = files.id)
  WHERE state = 'in_progress';
DROP INDEX claims_file;
DROP INDEX findings_file;
