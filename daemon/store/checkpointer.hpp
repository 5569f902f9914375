// store/checkpointer.hpp
//
// Checkpointer: copies the WAL back into the database file on its own thread and its own
// connection, so the writer (the daemon's store thread) does not. In WAL mode SQLite's default
// is an automatic checkpoint inside the COMMIT that pushes the WAL past 1,000 pages: the writer
// then reads every frame back and writes it into the database file (and syncs it) before it can
// start its next transaction — on a 5,000-claim group about a third of the store thread's time.
// A PASSIVE checkpoint from another connection runs alongside the writer's next transaction
// (SQLite allows one writer and one checkpointer at once) and never blocks it. Durability is
// unchanged: a commit is durable once its WAL frames are synced (synchronous=FULL), whoever
// checkpoints them later; the checkpoint itself syncs the database file.
//
// The writer keeps an automatic checkpoint with a higher threshold (Store::set_autocheckpoint)
// as a bound on the WAL should this thread fall behind.
//
// Thread-safety: nudge() from any thread; the destructor from the owner's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

struct sqlite3;

namespace claimaudit::store {

class Checkpointer {
 public:
  // Opens its own connection to `path` (an existing WAL database; throws std::runtime_error
  // naming it otherwise) and starts the thread.
  explicit Checkpointer(const std::filesystem::path& path);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer();  // Ends the thread (a checkpoint under way finishes first).

  // Asks for a checkpoint soon (after a commit). Cheap; never blocks on the checkpoint.
  void nudge();

  // Checkpoints run so far, and frames copied into the database file (for tests, benchmarks).
  std::int64_t checkpoints() const;
  std::int64_t frames_copied() const;

 private:
  void run();

  sqlite3* connection_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::int64_t checkpoints_ = 0;
  std::int64_t frames_copied_ = 0;
  std::thread thread_;  // Last: starts once everything above exists.
};

}  // namespace claimaudit::store
