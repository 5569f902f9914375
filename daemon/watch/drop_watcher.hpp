// watch/drop_watcher.hpp
//
// DropWatcher: inotify on the Asio loop. In Mode::kReadyFiles it watches drop directories and
// reports each file that is complete and may be read: one closed after writing (IN_CLOSE_WRITE) or
// renamed in (IN_MOVED_TO), and, by a scan, those already there at start() and after an event-queue
// overflow (IN_Q_OVERFLOW is a normal event: rescan). Hidden and temporary names (".*", "*.tmp",
// "*.part") are ignored until renamed; symlinks and non-regular files are refused (logged once
// each, when they appear). A hard link made in a drop directory is reported when it appears (no
// IN_CLOSE_WRITE comes for it), also when its first name is removed at once. A drop directory
// removed or renamed away, or whose path comes to name another folder (something mounted over it,
// its file system unmounted), is logged and watched again once its path names a folder on the file
// system it was on at start() (then scanned), checked every second; it is recreated only if its
// parent folder is on that file system (never on the disk under an unmounted one, where files would
// be hidden when the mount comes back), and the problem handler hears why it is not watched
// meanwhile, and when it is watched again. A directory made or moved into a drop directory is not
// watched (drop directories are flat): a warning names it once, when created or found by a scan. A
// file found by a scan that another process still has open for writing is left for its
// IN_CLOSE_WRITE; where that cannot be asked (no lease rights) a file modified in the last second
// is re-checked later instead. The same file may be reported more than once (an event and a scan):
// the consumer moves it away and ignores a repeat it cannot find. In Mode::kChanges it watches
// directories recursively and reports that something changed (rule directories), without naming
// files.
//
// Thread-safety: every method and every handler runs on the io_context's thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

struct inotify_event;

namespace claimaudit::watch {

struct ReadyFile {
  std::filesystem::path path;  // Directory / name.
  std::size_t directory = 0;   // Index into the watched directories.
  bool renamed_in = false;     // Reported for its IN_MOVED_TO (else written or linked there).
};

// True for names the watcher never reports: ".*", "*.tmp", "*.part" (and "", ".", "..").
bool is_ignored_name(std::string_view name);

class DropWatcher {
 public:
  enum class Mode { kReadyFiles, kChanges };
  using ReadyHandler = std::function<void(ReadyFile)>;
  using ChangeHandler = std::function<void()>;

  // kReadyFiles: `on_ready` gets every ready file. kChanges: `on_change` gets every change.
  DropWatcher(boost::asio::io_context& io_context, std::vector<std::filesystem::path> directories,
              Mode mode, ReadyHandler on_ready, ChangeHandler on_change = {});
  DropWatcher(const DropWatcher&) = delete;
  DropWatcher& operator=(const DropWatcher&) = delete;
  ~DropWatcher();

  // Creates the inotify instance and the watches, then (kReadyFiles) scans every directory.
  // Throws std::system_error naming the directory if a watch cannot be added (start-up failure).
  void start();
  // Scans every directory again (kReadyFiles), as on overflow.
  void rescan();
  // Closes the inotify descriptor; pending handlers see operation_aborted and stop quietly.
  void stop();

  // The minimum age of a scanned file's mtime when its writer cannot be asked (default 1 s).
  void set_settle_time(std::chrono::milliseconds settle) { settle_ = settle; }

  // Called (kReadyFiles) with the drop directory's index and one line, without PHI, when a drop
  // directory is lost and cannot be watched again yet, and why (the daemon shows it in its
  // status); and once more with an empty line when that directory is watched again.
  using ProblemHandler = std::function<void(std::size_t, std::string)>;
  void set_problem_handler(ProblemHandler handler) { on_problem_ = std::move(handler); }

 private:
  void add_watch(const std::filesystem::path& directory, std::size_t index);
  // add_watch for a directory created under a watched one; a failure is logged, not thrown.
  void watch_created_directory(const std::filesystem::path& directory, std::size_t index);
  using Watches = std::map<int, std::pair<std::filesystem::path, std::size_t>>;
  struct EventBatch;
  void do_read();
  void handle_events(std::size_t bytes);
  void handle_event(const inotify_event& event, const std::string& name, EventBatch& batch);
  // IN_IGNORED or IN_MOVE_SELF of `watch`: its directory is no longer watched.
  void watch_ended(Watches::iterator watch, std::uint32_t mask);
  void scan(std::size_t index);
  void consider(const std::filesystem::path& path, std::size_t index, bool from_scan,
                bool renamed_in = false);
  void recheck_later(const std::filesystem::path& path, std::size_t index);
  // IN_CREATE of something that is not a directory (kReadyFiles). A regular file with one name
  // goes to `lone`, for lone_name() once the events read with it are handled.
  void created(const std::filesystem::path& path, std::size_t index,
               std::vector<std::pair<std::filesystem::path, std::size_t>>& lone);
  // A regular file with one name that appeared by IN_CREATE and was not reported at an
  // IN_CLOSE_WRITE read with it: a file still being written, or a hard link whose first name is
  // gone (reported).
  void lone_name(const std::filesystem::path& path, std::size_t index);
  // Drop directory `index` was removed or renamed away: look for it again until it is back.
  void lost(std::size_t index);
  void rewatch_later();
  // Watches lost drop directory `index` again if its path names a folder on its file system
  // (creating it if its parent is there); else returns why not.
  std::string rewatch(std::size_t index);
  // Every kRewatchInterval: does each watched drop directory's path still name the folder that
  // is watched? If not (mounted over, unmounted, replaced unseen) it is lost.
  void verify_later();

  boost::asio::io_context& io_context_;
  std::vector<std::filesystem::path> directories_;
  Mode mode_;
  ReadyHandler on_ready_;
  ChangeHandler on_change_;
  boost::asio::posix::stream_descriptor stream_;  // Owns the inotify fd once start() ran.
  boost::asio::steady_timer recheck_timer_;
  boost::asio::steady_timer rewatch_timer_;
  boost::asio::steady_timer verify_timer_;
  ProblemHandler on_problem_;
  // Per drop directory (kReadyFiles): the file system it was on at start(), and the folder
  // (device, inode) its watch is on.
  struct Identity {
    dev_t device = 0;
    ino_t inode = 0;
  };
  std::vector<dev_t> devices_;
  std::vector<Identity> watched_;
  std::set<std::size_t> told_;  // Lost drop directories whose refusal was logged.
  Watches watches_;             // wd -> dir, index.
  std::map<std::filesystem::path, std::size_t> recheck_;  // Files to look at again.
  std::set<std::filesystem::path> refused_;               // Logged once each.
  std::set<std::size_t> lost_;  // Drop directories removed or moved away, not yet back.
  std::vector<char> buffer_;
  std::chrono::milliseconds settle_{1000};
  bool stopped_ = false;
};

}  // namespace claimaudit::watch
