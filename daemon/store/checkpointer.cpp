#include "store/checkpointer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

namespace claimaudit::store {

Checkpointer::Checkpointer(const std::filesystem::path& path) {
  const int rc = sqlite3_open_v2(path.c_str(), &connection_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string why =
        connection_ != nullptr ? sqlite3_errmsg(connection_) : sqlite3_errstr(rc);
    sqlite3_close_v2(connection_);
    throw std::runtime_error("cannot open database " + path.string() + " to checkpoint: " + why);
  }
  // The checkpoint syncs the database file, as the writer's own would (synchronous=FULL); it
  // never needs to wait for anyone (PASSIVE), so no busy timeout.
  sqlite3_exec(connection_, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
  // This connection never writes: no automatic checkpoint of its own.
  sqlite3_wal_autocheckpoint(connection_, 0);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  sqlite3_close_v2(connection_);
}

void Checkpointer::nudge() {
  {
    std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

std::int64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

std::int64_t Checkpointer::frames_copied() const {
  std::lock_guard lock(mutex_);
  return frames_copied_;
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "ca-checkpoint");  // As top -H and perf show it.
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || requested_; });
      if (stopping_) return;
      requested_ = false;
    }
    int log_frames = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(connection_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &log_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: background checkpoint failed: {}", sqlite3_errmsg(connection_));
    }
    std::lock_guard lock(mutex_);
    ++checkpoints_;
    if (copied > 0) frames_copied_ += copied;
  }
}

}  // namespace claimaudit::store
