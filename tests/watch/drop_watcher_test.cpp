// DropWatcher on real inotify in a temporary folder: renames and closes are reported, temporary
// names are not, symlinks are refused, the start-up scan finds what is already there but not a
// file still open for writing, and rule-directory changes are seen in subfolders.
#include "watch/drop_watcher.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "support/temp_dir.hpp"
#include "watch/file_descriptor.hpp"

namespace claimaudit::watch {
namespace {

using claimaudit::testing::TempDir;
namespace fs = std::filesystem;

struct Fixture {
  TempDir temp;
  fs::path inbox = temp / "inbox";
  boost::asio::io_context io_context;
  std::vector<std::string> seen;

  Fixture() { fs::create_directories(inbox); }

  std::unique_ptr<DropWatcher> start() {
    auto watcher =
        std::make_unique<DropWatcher>(io_context, std::vector<fs::path>{inbox},
                                      DropWatcher::Mode::kReadyFiles, [this](ReadyFile file) {
                                        BOOST_TEST(file.directory == 0u);
                                        seen.push_back(file.path.filename().string());
                                      });
    watcher->set_settle_time(std::chrono::milliseconds(200));
    watcher->start();
    return watcher;
  }

  // Runs the loop until `count` files were reported or the deadline passes.
  void run_until(std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (seen.size() < count && std::chrono::steady_clock::now() < end) {
      io_context.run_for(std::chrono::milliseconds(20));
      io_context.restart();
    }
  }
};

// Runs the loop until `condition` holds (true) or 5 s pass (false).
template <typename Condition>
bool wait_for(Condition condition, Fixture& f) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!condition() && std::chrono::steady_clock::now() < end) {
    f.io_context.run_for(std::chrono::milliseconds(20));
    f.io_context.restart();
  }
  return condition();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drop_watcher)

BOOST_AUTO_TEST_CASE(ignores_hidden_and_temporary_names) {
  BOOST_TEST(is_ignored_name(".batch.837"));
  BOOST_TEST(is_ignored_name("batch.837.tmp"));
  BOOST_TEST(is_ignored_name("batch.837.part"));
  BOOST_TEST(is_ignored_name(""));
  BOOST_TEST(!is_ignored_name("batch.837"));
  BOOST_TEST(!is_ignored_name("tmp.837"));
}

BOOST_AUTO_TEST_CASE(reports_a_renamed_file_once_and_never_its_temporary_name) {
  Fixture f;
  auto watcher = f.start();
  f.temp.write("inbox/.batch.837.tmp", "ISA*");
  f.temp.write("inbox/other.part", "ISA*");
  fs::rename(f.inbox / ".batch.837.tmp", f.inbox / "batch.837");
  f.run_until(1);
  f.run_until(2, std::chrono::milliseconds(300));  // Nothing more may arrive.
  BOOST_TEST(f.seen == std::vector<std::string>{"batch.837"});
}

BOOST_AUTO_TEST_CASE(reports_a_file_written_in_place_when_it_is_closed) {
  Fixture f;
  auto watcher = f.start();
  FileDescriptor fd(::open((f.inbox / "direct.json").c_str(), O_WRONLY | O_CREAT, 0644));
  BOOST_TEST_REQUIRE(fd.valid());
  BOOST_TEST(::write(fd.get(), "{", 1) == 1);
  f.run_until(1, std::chrono::milliseconds(300));
  BOOST_TEST(f.seen.empty());  // Still being written.
  fd.close();
  f.run_until(1);
  BOOST_TEST(f.seen == std::vector<std::string>{"direct.json"});
}

BOOST_AUTO_TEST_CASE(startup_scan_finds_files_but_waits_for_open_writers) {
  Fixture f;
  f.temp.write("inbox/waiting.837", "ISA*");
  f.temp.write("inbox/.hidden", "x");
  FileDescriptor writer(::open((f.inbox / "writing.837").c_str(), O_WRONLY | O_CREAT, 0644));
  BOOST_TEST_REQUIRE(writer.valid());
  fs::create_symlink(f.inbox / "waiting.837", f.inbox / "link.837");
  fs::create_directory(f.inbox / "subdir");
  auto watcher = f.start();
  f.run_until(2, std::chrono::milliseconds(500));
  BOOST_TEST(f.seen == std::vector<std::string>{"waiting.837"});
  writer.close();  // Its IN_CLOSE_WRITE completes it.
  f.run_until(2);
  BOOST_TEST(f.seen == (std::vector<std::string>{"waiting.837", "writing.837"}));
}

BOOST_AUTO_TEST_CASE(rescan_reports_what_is_present) {
  Fixture f;
  auto watcher = f.start();
  f.temp.write("inbox/a.837", "ISA*");
  f.run_until(1);
  watcher->rescan();
  f.run_until(2);
  BOOST_TEST(f.seen == (std::vector<std::string>{"a.837", "a.837"}));
}

// Regression (session 10): a directory made in a drop folder at run time was ignored without a
// word (IN_CREATE was not watched), so files put in it were never audited and nobody was told.
BOOST_AUTO_TEST_CASE(a_directory_made_in_a_drop_folder_is_named_once_as_not_watched) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "watch-test", std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  struct Restore {
    explicit Restore(std::shared_ptr<spdlog::logger> saved) : logger(std::move(saved)) {}
    Restore(const Restore&) = delete;
    Restore& operator=(const Restore&) = delete;
    ~Restore() { spdlog::set_default_logger(logger); }
    std::shared_ptr<spdlog::logger> logger;
  } restore(previous);
  Fixture f;
  auto watcher = f.start();
  fs::create_directory(f.inbox / "batch-dir");
  f.temp.write("inbox/batch-dir/inside.837", "ISA*");
  f.temp.write("inbox/after.837", "ISA*");
  f.run_until(1);
  watcher->rescan();  // The scan finds the directory again: still one line.
  f.run_until(3, std::chrono::milliseconds(300));
  BOOST_TEST(f.seen == (std::vector<std::string>{"after.837", "after.837"}));
  const std::string text = log.str();
  const std::string line =
      "watch: file=batch-dir in " + f.inbox.string() +
      " is a directory: drop directories are not watched below their top level, so files put in "
      "it are not audited";
  BOOST_TEST(text.find(line) != std::string::npos, text);
  BOOST_TEST(text.find(line, text.find(line) + 1) == std::string::npos, text);
  BOOST_TEST(text.find("inside.837") == std::string::npos);
  BOOST_TEST(text.find((f.inbox / "batch-dir").string()) == std::string::npos);
}

// Captures the default logger's lines for one test.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "watch-test", std::make_shared<spdlog::sinks::ostream_sink_st>(log_)));
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return log_.str(); }

 private:
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_;
};

// Regression (session 12): `ln file inbox/x.837` gives IN_CREATE and nothing else (no
// IN_CLOSE_WRITE, no IN_MOVED_TO), so a hard link sat in the inbox unread until a restart.
BOOST_AUTO_TEST_CASE(a_hard_link_made_in_a_drop_folder_is_reported) {
  Fixture f;
  f.temp.write("outside.837", "ISA*");
  auto watcher = f.start();
  fs::create_hard_link(f.temp / "outside.837", f.inbox / "linked.837");
  f.run_until(1);
  BOOST_TEST(f.seen == (std::vector<std::string>{"linked.837"}));
}

// Regression (session 13): a file closed by one writer while another still had it open for
// writing (two opens; a forked child closing its copy of the descriptor) was reported at the
// first IN_CLOSE_WRITE, so the daemon read it half written and the rest was never audited. It
// is reported at the last close.
BOOST_AUTO_TEST_CASE(a_file_still_open_for_writing_elsewhere_is_reported_at_its_last_close) {
  Fixture f;
  auto watcher = f.start();
  const fs::path path = f.inbox / "two-writers.json";
  FileDescriptor first(::open(path.c_str(), O_WRONLY | O_CREAT, 0644));
  FileDescriptor second(::open(path.c_str(), O_WRONLY | O_APPEND));
  BOOST_TEST_REQUIRE(first.valid());
  BOOST_TEST_REQUIRE(second.valid());
  BOOST_TEST(::write(first.get(), "{", 1) == 1);
  first.close();
  f.run_until(1, std::chrono::milliseconds(300));
  BOOST_TEST(f.seen.empty());  // Still open for writing.
  BOOST_TEST(::write(second.get(), "}", 1) == 1);
  second.close();
  f.run_until(1);
  BOOST_TEST(f.seen == std::vector<std::string>{"two-writers.json"});
}

// Regression (session 13): `ln FILE inbox/x.837 && rm FILE` (delivery by link and unlink) left
// the link with one name by the time its IN_CREATE was read, so it was taken for a file being
// written in place and waited for an IN_CLOSE_WRITE that never comes: unread until a restart.
BOOST_AUTO_TEST_CASE(a_hard_link_whose_first_name_is_removed_at_once_is_reported) {
  Fixture f;
  f.temp.write("outside.837", "ISA*");
  auto watcher = f.start();
  fs::create_hard_link(f.temp / "outside.837", f.inbox / "moved.837");
  fs::remove(f.temp / "outside.837");
  f.run_until(1, std::chrono::seconds(3));
  BOOST_TEST(f.seen == (std::vector<std::string>{"moved.837"}));
}

// Regression (session 12): a symbolic link or a FIFO made in a drop folder at run time was
// refused without a word (only a scan named it), so nobody knew why it was never audited.
BOOST_AUTO_TEST_CASE(a_symlink_or_fifo_made_in_a_drop_folder_is_named_when_it_appears) {
  CapturedLog log;
  Fixture f;
  f.temp.write("outside.837", "ISA*");
  auto watcher = f.start();
  fs::create_symlink(f.temp / "outside.837", f.inbox / "link.837");
  BOOST_TEST_REQUIRE(::mkfifo((f.inbox / "pipe.837").c_str(), 0600) == 0);
  f.temp.write("inbox/after.837", "ISA*");
  f.run_until(1);
  BOOST_TEST(f.seen == (std::vector<std::string>{"after.837"}));
  const std::string text = log.text();
  BOOST_TEST(text.find("refusing " + (f.inbox / "link.837").string() + ": a symbolic link") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("refusing " + (f.inbox / "pipe.837").string() + ": not a regular file") !=
                 std::string::npos,
             text);
}

// Regression (session 12): a drop folder removed (rm -rf inbox; mkdir inbox) or renamed away
// while the daemon ran lost its watch for good: files dropped into the new folder were never
// seen until a restart, after one log line.
BOOST_AUTO_TEST_CASE(a_removed_or_renamed_drop_folder_is_recreated_and_watched_again) {
  CapturedLog log;
  Fixture f;
  auto watcher = f.start();
  fs::remove_all(f.inbox);
  f.run_until(1, std::chrono::milliseconds(300));
  // Recreated by the watcher, or by whoever removed it: either way it is watched again.
  BOOST_TEST_REQUIRE(wait_for([&] { return fs::is_directory(f.inbox); }, f));
  f.temp.write("inbox/after-remove.837", "ISA*");
  f.run_until(1);
  BOOST_TEST(f.seen == (std::vector<std::string>{"after-remove.837"}));

  f.seen.clear();
  fs::rename(f.inbox, f.temp / "inbox-old");
  fs::create_directory(f.inbox);
  f.temp.write("inbox-old/in-old.837", "ISA*");  // No longer a drop folder: never reported.
  f.temp.write("inbox/after-rename.837", "ISA*");
  f.run_until(1);
  f.run_until(2, std::chrono::milliseconds(300));
  BOOST_TEST(f.seen == (std::vector<std::string>{"after-rename.837"}));
  const std::string text = log.text();
  BOOST_TEST(text.find("drop directory " + f.inbox.string() + " was removed or moved away") !=
                 std::string::npos,
             text);
  BOOST_TEST(
      text.find("drop directory " + f.inbox.string() + " is watched again") != std::string::npos,
      text);
}

// Regression (session 13b): the problem handler heard why a lost drop folder was not watched,
// but nothing when it was watched again, so the daemon's status went on showing the problem.
BOOST_AUTO_TEST_CASE(the_problem_handler_hears_when_a_lost_drop_folder_is_watched_again) {
  CapturedLog log;
  Fixture f;
  std::vector<std::pair<std::size_t, std::string>> heard;
  auto watcher = std::make_unique<DropWatcher>(
      f.io_context, std::vector<fs::path>{f.inbox}, DropWatcher::Mode::kReadyFiles,
      [&f](ReadyFile file) { f.seen.push_back(file.path.filename().string()); });
  watcher->set_problem_handler(
      [&heard](std::size_t index, std::string problem) { heard.emplace_back(index, problem); });
  watcher->start();
  fs::remove_all(f.inbox);
  f.temp.write("inbox", "not a folder");  // Before the watcher's next look, so it cannot recreate.
  BOOST_TEST_REQUIRE(wait_for([&] { return !heard.empty(); }, f), log.text());
  BOOST_TEST(heard.size() == 1u);
  BOOST_TEST(heard[0].first == 0u);
  BOOST_TEST(heard[0].second == "drop directory " + f.inbox.string() +
                                    " is not watched: its path names something that is not a "
                                    "folder");
  fs::remove(f.inbox);
  fs::create_directory(f.inbox);
  BOOST_TEST_REQUIRE(wait_for([&] { return heard.size() == 2u; }, f), log.text());
  BOOST_TEST(heard[1].first == 0u);
  BOOST_TEST(heard[1].second.empty());  // Watched again: the problem is over.
  f.temp.write("inbox/after.837", "ISA*");
  f.run_until(1);
  BOOST_TEST(f.seen == (std::vector<std::string>{"after.837"}));
  f.run_until(2, std::chrono::milliseconds(1500));
  BOOST_TEST(heard.size() == 2u);  // Said once each.
}

BOOST_AUTO_TEST_CASE(change_mode_sees_edits_in_subfolders) {
  TempDir temp;
  fs::create_directories(temp / "rules/sub");
  boost::asio::io_context io_context;
  int changes = 0;
  DropWatcher watcher(io_context, {temp / "rules", temp / "absent"}, DropWatcher::Mode::kChanges,
                      {}, [&changes] { ++changes; });
  watcher.start();
  temp.write("rules/sub/x.yaml", "rules: []\n");
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (changes == 0 && std::chrono::steady_clock::now() < end) {
    io_context.run_for(std::chrono::milliseconds(20));
    io_context.restart();
  }
  BOOST_TEST(changes >= 1);
}

BOOST_AUTO_TEST_CASE(start_fails_with_the_directory_name_when_it_is_missing) {
  TempDir temp;
  boost::asio::io_context io_context;
  DropWatcher watcher(io_context, {temp / "missing"}, DropWatcher::Mode::kReadyFiles,
                      [](ReadyFile) {});
  try {
    watcher.start();
    BOOST_FAIL("start() should have thrown");
  } catch (const std::system_error& error) {
    BOOST_TEST(std::string(error.what()).find("missing") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::watch
