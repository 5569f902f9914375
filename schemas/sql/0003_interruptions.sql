-- 0003: tell a file that breaks the daemon from a daemon that was stopped from outside.
--
-- files.attempts counts the audits of a file that failed: the audit threw, or the daemon died
-- of a fault (a fatal signal: SIGSEGV, SIGABRT, ...) while auditing it. Two of those make the
-- file poison. An audit cut short by a stop the daemon did not cause (SIGKILL from an admin or a
-- test, a power cut, the kernel's OOM killer) is not the file's fault and is counted here
-- instead; only many of them in a row (store::kMaxInterruptions) make the file poison, so a file
-- that keeps getting the daemon OOM-killed is still not retried forever.
ALTER TABLE files ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;
