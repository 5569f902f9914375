#include "watch/drop_watcher.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <cstring>
#include <system_error>

#include <boost/asio/error.hpp>
#include <spdlog/spdlog.h>

#include "core/log_safe.hpp"
#include "watch/file_descriptor.hpp"

namespace claimaudit::watch {
namespace {

// IN_CREATE to see a directory made in place, and what appears without ever being written there:
// a hard link, a symbolic link, a FIFO (a file written in place is reported at its
// IN_CLOSE_WRITE). IN_MOVE_SELF: the drop directory itself renamed away (its removal ends in
// IN_IGNORED).
constexpr std::uint32_t kReadyMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MOVE_SELF | IN_ONLYDIR;
// How often a lost drop directory is looked for again.
constexpr auto kRewatchInterval = std::chrono::seconds(1);
constexpr std::uint32_t kChangeMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ONLYDIR;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

enum class Writers { kNone, kSome, kUnknown };

// Asks the kernel whether anyone has the file open for writing: a read lease is refused with
// EAGAIN while a writer exists. Needs file ownership or CAP_LEASE; kUnknown otherwise. A writer
// opening the file while the lease is held breaks it with SIGIO to this process, which must
// ignore that signal (claimauditd's main does).
Writers open_writers(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return Writers::kUnknown;
  if (::fcntl(fd.get(), F_SETLEASE, F_RDLCK) == 0) {
    ::fcntl(fd.get(), F_SETLEASE, F_UNLCK);
    return Writers::kNone;
  }
  return errno == EAGAIN ? Writers::kSome : Writers::kUnknown;
}

}  // namespace

bool is_ignored_name(std::string_view name) {
  return name.empty() || name.front() == '.' || ends_with(name, ".tmp") || ends_with(name, ".part");
}

DropWatcher::DropWatcher(boost::asio::io_context& io_context,
                         std::vector<std::filesystem::path> directories, Mode mode,
                         ReadyHandler on_ready, ChangeHandler on_change)
    : io_context_(io_context),
      directories_(std::move(directories)),
      mode_(mode),
      on_ready_(std::move(on_ready)),
      on_change_(std::move(on_change)),
      stream_(io_context),
      recheck_timer_(io_context),
      rewatch_timer_(io_context),
      verify_timer_(io_context),
      buffer_(std::size_t{64} * 1024) {}

DropWatcher::~DropWatcher() = default;

void DropWatcher::start() {
  FileDescriptor fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  stream_.assign(fd.release());
  if (mode_ == Mode::kReadyFiles) watched_.assign(directories_.size(), Identity{});
  for (std::size_t index = 0; index < directories_.size(); ++index) {
    if (mode_ == Mode::kChanges) {
      std::error_code error;
      if (!std::filesystem::is_directory(directories_[index], error)) {
        spdlog::warn("watch: {} is not a directory; changes there are not watched",
                     directories_[index].string());
        continue;
      }
      add_watch(directories_[index], index);
      for (auto it = std::filesystem::recursive_directory_iterator(directories_[index], error);
           !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_directory(error)) add_watch(it->path(), index);
      }
    } else {
      add_watch(directories_[index], index);
    }
  }
  do_read();
  if (mode_ == Mode::kReadyFiles) {
    devices_.assign(directories_.size(), 0);
    for (std::size_t index = 0; index < directories_.size(); ++index) {
      devices_[index] = watched_[index].device;
    }
    verify_later();
    rescan();
  }
}

void DropWatcher::add_watch(const std::filesystem::path& directory, std::size_t index) {
  const int wd = ::inotify_add_watch(stream_.native_handle(), directory.c_str(),
                                     mode_ == Mode::kReadyFiles ? kReadyMask : kChangeMask);
  if (wd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot watch " + directory.string());
  }
  watches_[wd] = {directory, index};
  if (mode_ == Mode::kReadyFiles) {
    struct stat info {};
    if (::stat(directory.c_str(), &info) == 0) {
      watched_.at(index) = Identity{info.st_dev, info.st_ino};
    }
  }
}

void DropWatcher::stop() {
  stopped_ = true;
  recheck_timer_.cancel();
  rewatch_timer_.cancel();
  verify_timer_.cancel();
  boost::system::error_code ignored;
  stream_.close(ignored);
}

void DropWatcher::rescan() {
  if (mode_ != Mode::kReadyFiles) return;
  for (std::size_t index = 0; index < directories_.size(); ++index) scan(index);
}

void DropWatcher::scan(std::size_t index) {
  std::error_code error;
  std::filesystem::directory_iterator it(directories_[index], error);
  if (error) {
    spdlog::error("watch: cannot list {}: {}", core::log_safe(directories_[index].string()),
                  error.message());
    return;
  }
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) break;
    consider(it->path(), index, /*from_scan=*/true);
  }
}

void DropWatcher::consider(const std::filesystem::path& path, std::size_t index, bool from_scan,
                           bool renamed_in) {
  if (is_ignored_name(path.filename().string())) return;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return;  // Gone already: someone else took it.
  if (S_ISDIR(info.st_mode)) {
    // Drop directories are watched at their top level only; say so once, by name (the names
    // inside it are never read).
    if (refused_.insert(path).second) {
      spdlog::warn(
          "watch: file={} in {} is a directory: drop directories are not watched below their "
          "top level, so files put in it are not audited",
          core::log_safe(path.filename().string()), core::log_safe(directories_[index].string()));
    }
    return;
  }
  if (!S_ISREG(info.st_mode)) {
    if (refused_.insert(path).second) {
      spdlog::warn("watch: refusing {}: {}", core::log_safe(path.string()),
                   S_ISLNK(info.st_mode) ? "a symbolic link" : "not a regular file");
    }
    return;
  }
  if (from_scan) {
    switch (open_writers(path)) {
      case Writers::kSome:
        return;  // Its IN_CLOSE_WRITE will come.
      case Writers::kNone:
        break;
      case Writers::kUnknown: {
        const auto modified = std::chrono::seconds(info.st_mtim.tv_sec) +
                              std::chrono::nanoseconds(info.st_mtim.tv_nsec);
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        if (now - modified < settle_) {
          recheck_later(path, index);
          return;
        }
        break;
      }
    }
  } else if (open_writers(path) == Writers::kSome) {
    // Closed (or renamed in) by one writer while another still has it open for writing: a
    // second open, a forked child's copy of the descriptor (`(a; b) > inbox/x`), a program that
    // renames before it closes. Taken now, it would be read while still being written, the rest
    // going into processing/ unread; its last IN_CLOSE_WRITE reports it. (Asked only where the
    // kernel answers: the daemon owns the file or has CAP_LEASE.)
    return;
  }
  on_ready_(ReadyFile{path, index, renamed_in});
}

void DropWatcher::recheck_later(const std::filesystem::path& path, std::size_t index) {
  const bool idle = recheck_.empty();
  recheck_[path] = index;
  if (!idle) return;
  recheck_timer_.expires_after(settle_);
  recheck_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    auto files = std::move(recheck_);
    recheck_.clear();
    for (const auto& [file, directory] : files) consider(file, directory, /*from_scan=*/true);
  });
}

void DropWatcher::created(const std::filesystem::path& path, std::size_t index,
                          std::vector<std::pair<std::filesystem::path, std::size_t>>& lone) {
  if (is_ignored_name(path.filename().string())) return;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return;
  if (!S_ISREG(info.st_mode)) {
    consider(path, index, /*from_scan=*/false);  // Refused, and said so, now.
    return;
  }
  // A file written in place is reported at its IN_CLOSE_WRITE. A second name of an existing
  // file (a hard link: ln FILE inbox/) gets no IN_CLOSE_WRITE: it is taken now, as a scan takes
  // a file (not while someone has it open for writing; its mtime settled when that cannot be
  // asked).
  if (info.st_nlink > 1) {
    consider(path, index, /*from_scan=*/true);
    return;
  }
  // One name only: a file being written in place, or a hard link whose first name was removed
  // before this event was read (ln FILE inbox/ && rm FILE; a spool that delivers by link and
  // unlink), for which no IN_CLOSE_WRITE comes. Decided once the events read with it are seen
  // (lone_name()): an IN_CLOSE_WRITE among them reports it already.
  lone.emplace_back(path, index);
}

void DropWatcher::lone_name(const std::filesystem::path& path, std::size_t index) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return;
  // Nobody has it open for writing: it is complete, taken now (a file written in place and
  // closed since is reported again at its IN_CLOSE_WRITE, a repeat the consumer ignores). Where
  // that cannot be asked, a change of its metadata after its last write (ctime after mtime:
  // link() and unlink() set ctime, not mtime; a write sets both) marks a link; it is taken as a
  // scan takes it, once its mtime settled.
  switch (open_writers(path)) {
    case Writers::kSome:
      return;  // Its IN_CLOSE_WRITE will come.
    case Writers::kNone:
      on_ready_(ReadyFile{path, index});
      return;
    case Writers::kUnknown: {
      const bool linked = info.st_ctim.tv_sec > info.st_mtim.tv_sec ||
                          (info.st_ctim.tv_sec == info.st_mtim.tv_sec &&
                           info.st_ctim.tv_nsec > info.st_mtim.tv_nsec);
      if (linked) consider(path, index, /*from_scan=*/true);
      return;
    }
  }
}

void DropWatcher::lost(std::size_t index) {
  spdlog::error(
      "watch: drop directory {} was removed or moved away (or mounted over, or unmounted); files "
      "dropped there are not seen until it is back (it is watched again once its path names a "
      "folder on its file system, and recreated if its parent folder is there)",
      directories_[index].string());
  lost_.insert(index);
  if (lost_.size() == 1) rewatch_later();
}

std::string DropWatcher::rewatch(std::size_t index) {
  const std::filesystem::path& directory = directories_[index];
  const dev_t device = devices_.at(index);
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) {
    // Recreated only where it was: in its parent folder on its own file system. Under an
    // unmounted file system (or a parent gone too) a new folder would be on another disk, where
    // files could not be moved into the state directory and would be hidden once the mount is
    // back.
    struct stat parent {};
    if (::stat(directory.parent_path().c_str(), &parent) != 0) {
      return "its parent folder is gone too (an unmounted file system?); it is not recreated";
    }
    if (parent.st_dev != device) {
      return "its parent folder is on another file system than at start-up (an unmounted "
             "file system?); it is not recreated there";
    }
    std::error_code ignored;
    std::filesystem::create_directory(directory, ignored);
    if (::stat(directory.c_str(), &info) != 0) return "it cannot be recreated";
  }
  if (!S_ISDIR(info.st_mode)) return "its path names something that is not a folder";
  if (info.st_dev != device) {
    return "its path names a folder on another file system than at start-up (something "
           "mounted over it, or its file system unmounted); files there could not be moved into "
           "the state directory";
  }
  const int wd = ::inotify_add_watch(stream_.native_handle(), directory.c_str(), kReadyMask);
  if (wd < 0) return std::string("it cannot be watched: ") + std::strerror(errno);
  watches_[wd] = {directory, index};
  watched_[index] = Identity{info.st_dev, info.st_ino};
  return {};
}

void DropWatcher::rewatch_later() {
  rewatch_timer_.expires_after(kRewatchInterval);
  rewatch_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    for (auto it = lost_.begin(); it != lost_.end();) {
      const std::size_t index = *it;
      const std::filesystem::path& directory = directories_[index];
      if (const std::string why = rewatch(index); !why.empty()) {
        // Not yet: said once, and tried again every second.
        if (told_.insert(index).second) {
          const std::string problem =
              "drop directory " + directory.string() + " is not watched: " + why;
          spdlog::error("watch: {}", core::log_safe(problem));
          if (on_problem_) on_problem_(index, problem);
        }
        ++it;
        continue;
      }
      spdlog::warn("watch: drop directory {} is watched again", directory.string());
      // The problem said is over (status must not go on showing it).
      if (told_.erase(index) != 0 && on_problem_) on_problem_(index, std::string());
      it = lost_.erase(it);
      scan(index);  // What arrived while it was not watched.
    }
    if (!lost_.empty()) rewatch_later();
  });
}

void DropWatcher::verify_later() {
  verify_timer_.expires_after(kRewatchInterval);
  verify_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    for (std::size_t index = 0; index < directories_.size(); ++index) {
      if (lost_.contains(index)) continue;
      struct stat info {};
      if (::stat(directories_[index].c_str(), &info) != 0) {
        if (errno != ENOENT) continue;  // Cannot tell; its removal comes as IN_IGNORED.
      } else if (info.st_dev == watched_[index].device && info.st_ino == watched_[index].inode) {
        continue;  // Still the folder that is watched.
      }
      // No event says so when a file system is mounted over a drop directory, or unmounted
      // lazily (umount -l) while files on it are open: the watch stays on a folder that nobody
      // can drop into any more.
      for (auto it = watches_.begin(); it != watches_.end(); ++it) {
        if (it->second.second == index && it->second.first == directories_[index]) {
          ::inotify_rm_watch(stream_.native_handle(), it->first);
          watches_.erase(it);
          break;
        }
      }
      lost(index);
    }
    verify_later();
  });
}

void DropWatcher::do_read() {
  stream_.async_read_some(boost::asio::buffer(buffer_),
                          [this](const boost::system::error_code& error, std::size_t bytes) {
                            if (error == boost::asio::error::operation_aborted || stopped_) return;
                            if (error) {
                              spdlog::error("watch: reading inotify events failed: {}",
                                            error.message());
                              return;
                            }
                            handle_events(bytes);
                            do_read();
                          });
}

void DropWatcher::watch_created_directory(const std::filesystem::path& directory,
                                          std::size_t index) {
  try {
    add_watch(directory, index);
  } catch (const std::system_error& failure) {
    spdlog::warn("watch: {}", failure.what());
  }
}

// What one read of the inotify descriptor brought, handled once all its events are seen.
struct DropWatcher::EventBatch {
  // kReadyFiles: files with one name that appeared without being written there (created()),
  // and the files this batch reported at their IN_CLOSE_WRITE or IN_MOVED_TO.
  std::vector<std::pair<std::filesystem::path, std::size_t>> lone;
  std::set<std::filesystem::path> reported;
  bool overflow = false;
  bool changed = false;  // kChanges.
};

void DropWatcher::handle_events(std::size_t bytes) {
  EventBatch batch;
  std::size_t offset = 0;
  while (offset + sizeof(inotify_event) <= bytes) {
    inotify_event event{};
    std::memcpy(&event, buffer_.data() + offset, sizeof event);
    const char* name_start = buffer_.data() + offset + sizeof(inotify_event);
    const std::string name = event.len > 0 ? std::string(name_start) : std::string();
    offset += sizeof(inotify_event) + event.len;
    handle_event(event, name, batch);
  }
  for (const auto& [path, index] : batch.lone) {
    if (!batch.reported.contains(path)) lone_name(path, index);
  }
  if (batch.overflow) {
    spdlog::warn("watch: inotify queue overflowed; rescanning");
    if (mode_ == Mode::kReadyFiles) {
      rescan();
    } else {
      batch.changed = true;
    }
  }
  if (batch.changed && on_change_) on_change_();
}

void DropWatcher::handle_event(const inotify_event& event, const std::string& name,
                               EventBatch& batch) {
  if ((event.mask & IN_Q_OVERFLOW) != 0) {
    batch.overflow = true;
    return;
  }
  const auto watch = watches_.find(event.wd);
  if (watch == watches_.end()) return;
  if ((event.mask & (IN_IGNORED | IN_MOVE_SELF)) != 0) {
    watch_ended(watch, event.mask);
    return;
  }
  const auto [directory, index] = watch->second;
  if (mode_ == Mode::kReadyFiles) {
    if (name.empty()) return;
    if ((event.mask & IN_CREATE) != 0 && (event.mask & IN_ISDIR) == 0) {
      created(directory / name, index, batch.lone);
    } else {
      batch.reported.insert(directory / name);
      consider(directory / name, index, /*from_scan=*/false,
               /*renamed_in=*/(event.mask & IN_MOVED_TO) != 0);
    }
    return;
  }
  if (is_ignored_name(name)) return;
  if ((event.mask & IN_ISDIR) != 0 && (event.mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
    watch_created_directory(directory / name, index);
  }
  batch.changed = true;
}

void DropWatcher::watch_ended(Watches::iterator watch, std::uint32_t mask) {
  const auto [directory, index] = watch->second;
  if ((mask & IN_MOVE_SELF) != 0) {
    // Renamed away: what it holds now is elsewhere; the path is what is watched.
    ::inotify_rm_watch(stream_.native_handle(), watch->first);
  }
  watches_.erase(watch);
  if (mode_ == Mode::kReadyFiles && directory == directories_[index]) {
    lost(index);
  } else {
    spdlog::error("watch: {} is no longer watched (removed or unmounted)", directory.string());
  }
}

}  // namespace claimaudit::watch
