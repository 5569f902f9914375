// The real claimauditd taking in what admins actually drop (session 12 probes): names as long as
// the file system allows, names that collide with earlier files in processing/, archive/ and
// quarantine/, a file the daemon may not read, hard links, and a drop folder removed while it
// runs. Each ends in archive/ or quarantine/ under its own name, nothing is retried forever.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "integration/fixture.hpp"
#include "support/run_command.hpp"

namespace claimaudit::testing {

namespace fs = std::filesystem;

namespace {

// The names directly in `directory`, sorted.
std::vector<std::string> names_in(const fs::path& directory) {
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = fs::directory_iterator(directory, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// drop_file() for a name too long for its ".NAME.tmp": written as ".long.tmp", then renamed.
void drop_long(const fs::path& directory, const std::string& name, const std::string& bytes) {
  {
    std::ofstream out(directory / ".long.tmp", std::ios::binary);
    out << bytes;
  }
  fs::rename(directory / ".long.tmp", directory / name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake)

// Regression (session 12): a 255-byte name (NAME_MAX) dropped again with other bytes could not
// be archived as NAME.1.ext ("File name too long": left in processing/ for good), and one that
// was quarantined could not get its NAME.reason.json, so it was retried every second forever.
BOOST_AUTO_TEST_CASE(names_as_long_as_the_file_system_allows_are_archived_and_quarantined) {
  Fixture f;
  const std::string name = std::string(250, 'L') + ".json";  // 255 bytes.
  BOOST_TEST_REQUIRE(name.size() == 255u);
  drop_long(f.daemon.inbox(), name, json_claim("LONG-1", "M54.50"));
  f.wait_done(1);
  drop_long(f.daemon.inbox(), name, json_claim("LONG-2", "M54.50"));
  f.wait_done(2);
  std::vector<std::string> archived;
  for (const auto& entry : fs::recursive_directory_iterator(f.daemon.state_dir() / "archive")) {
    if (entry.is_regular_file()) archived.push_back(entry.path().filename().string());
  }
  BOOST_TEST_REQUIRE(archived.size() == 2u);
  for (const std::string& archived_name : archived) {
    BOOST_TEST(archived_name.size() <= 255u);
    BOOST_TEST(archived_name.ends_with(".json"));
  }
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id IN ('LONG-1', 'LONG-2')") == 2);

  const std::string garbage_name = std::string(250, 'Q') + ".json";
  drop_long(f.daemon.inbox(), garbage_name, "this is not a claim file\n");
  f.wait_done(3);
  const auto quarantined = names_in(f.daemon.state_dir() / "quarantine");
  BOOST_TEST_REQUIRE(quarantined.size() == 2u);  // The file and its reason.
  BOOST_TEST(quarantined[0].size() <= 255u);
  BOOST_TEST(quarantined[1] == quarantined[0] + ".reason.json");
  const std::string reason = slurp(f.daemon.state_dir() / "quarantine" / quarantined[1]);
  // The reason names the file as dropped, whole.
  BOOST_TEST(reason.find("\"file\":\"" + garbage_name + "\"") != std::string::npos, reason);
  BOOST_TEST(f.daemon.log().find("retrying") == std::string::npos, f.daemon.log());
  BOOST_TEST(count_files(f.daemon.state_dir() / "processing", true) == 0);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 12): a file whose name was still taken in processing/ was renamed there
// (x.1.json) and recorded, archived and quarantined under that name, one the sender never used.
BOOST_AUTO_TEST_CASE(a_name_taken_in_processing_keeps_the_name_it_was_dropped_with) {
  Fixture f;
  // Something that is not a file keeps the name taken in processing/ (recovery leaves it).
  fs::create_directories(f.daemon.state_dir() / "processing" / "inbox" / "same.json");
  drop_file(f.daemon.inbox(), "same.json", json_claim("SAME-1", "M54.50"));
  f.wait_done(1);
  BOOST_TEST(f.sql_string("SELECT name FROM files") == "same.json");
  const std::string stored = f.sql_string("SELECT stored_path FROM files");
  BOOST_TEST(stored.ends_with("/same.json"), stored);
  BOOST_TEST(fs::exists(f.daemon.state_dir() / stored));
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 12): a quarantine entry whose file an admin had already moved away still
// had its NAME.reason.json, and the next file quarantined under that name overwrote it.
BOOST_AUTO_TEST_CASE(a_new_quarantine_entry_never_overwrites_an_earlier_reason) {
  Fixture f;
  const fs::path quarantine = f.daemon.state_dir() / "quarantine";
  fs::create_directories(quarantine);
  {
    std::ofstream out(quarantine / "bad.json.reason.json");
    out << "{\"file\":\"bad.json\",\"errors\":[]}\n";
  }
  drop_file(f.daemon.inbox(), "bad.json", "not json at all\n");
  f.wait_done(1);
  BOOST_TEST(slurp(quarantine / "bad.json.reason.json") ==
             "{\"file\":\"bad.json\",\"errors\":[]}\n");
  BOOST_TEST(fs::exists(quarantine / "bad.1.json"));
  BOOST_TEST(fs::exists(quarantine / "bad.1.json.reason.json"));
  BOOST_TEST(f.daemon.stop() == 0);
}

// Unreadable-file tests need a daemon user who may not read everything: as root, the daemon
// runs as nobody in folders nobody owns (root reads anything), and the file is written by root
// with mode 0. False (the test is skipped, with a message) where that cannot be arranged.
bool run_as_nobody_if_root(const TempDir& temp, DaemonProcess& daemon) {
  if (::geteuid() != 0) return true;
  // The build and the rules must be readable by nobody (not so under a 0700 home folder).
  const std::string can_run = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups -- " +
                              DaemonProcess::binary().string() +
                              " --check-config --state-dir /tmp >/dev/null 2>&1";
  if (!fs::exists("/usr/bin/setpriv") || std::system(can_run.c_str()) != 0) {
    BOOST_TEST_MESSAGE("skipped: user nobody cannot run claimauditd from this build");
    return false;
  }
  BOOST_TEST_REQUIRE(::chown(temp.path().c_str(), 65534, 65534) == 0);
  BOOST_TEST_REQUIRE(::chown(daemon.state_dir().c_str(), 65534, 65534) == 0);
  daemon.set_wrapper(
      {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"});
  return true;
}

// Renames into the inbox, as NAME, a claim file its daemon (not root) may not read.
void drop_unreadable(const DaemonProcess& daemon, const std::string& name,
                     const std::string& claim_id) {
  const fs::path hidden = daemon.inbox() / ("." + name + ".tmp");
  {
    std::ofstream out(hidden);
    out << json_claim(claim_id, "M54.50");
  }
  BOOST_TEST_REQUIRE(::chmod(hidden.c_str(), 0) == 0);
  if (::geteuid() == 0) BOOST_TEST_REQUIRE(::chown(hidden.c_str(), 0, 0) == 0);
  fs::rename(hidden, daemon.inbox() / name);
}

// Regression (session 12): a file the daemon's user may not read (another user's 0600 file) was
// retried every second forever, a warning each time, and sat in processing/ where nobody looks.
// It goes to quarantine/ with a reason that gives its mode and owner and says what to do.
BOOST_AUTO_TEST_CASE(an_unreadable_file_is_quarantined_with_what_to_do_and_not_retried) {
  TempDir temp;
  DaemonProcess daemon(temp / "state");
  if (!run_as_nobody_if_root(temp, daemon)) return;
  BOOST_TEST_REQUIRE(daemon.start(), daemon.log());
  drop_unreadable(daemon, "secret.json", "SECRET-1");
  const fs::path reason_path = daemon.state_dir() / "quarantine" / "secret.json.reason.json";
  const fs::path quarantined = daemon.state_dir() / "quarantine" / "secret.json";
  BOOST_TEST_REQUIRE(
      wait_until([&] { return fs::exists(reason_path) && fs::exists(quarantined); }, 10s),
      daemon.log());
  const std::string reason = slurp(reason_path);
  BOOST_TEST(reason.find("E-FILE-UNREADABLE") != std::string::npos, reason);
  BOOST_TEST(reason.find("permission denied (mode 0000") != std::string::npos, reason);
  BOOST_TEST(reason.find("move it back into the drop folder") != std::string::npos, reason);
  // Regression (session 13): it had no row in the files table, so claimctl status and the
  // database did not show it. Recorded done and quarantined, with its diagnostic (no hash:
  // its bytes were never read) and where it went.
  const auto unread = [&](const std::string& column) {
    return sql_text(daemon.database(),
                    "SELECT " + column + " FROM files WHERE name = 'secret.json'");
  };
  BOOST_TEST_REQUIRE(wait_until([&] { return unread("state") == "done"; }, 10s), daemon.log());
  BOOST_TEST(unread("outcome") == "quarantined");
  BOOST_TEST(unread("stored_path") == "quarantine/secret.json");
  BOOST_TEST(unread("sha256").empty());
  BOOST_TEST(unread("attempts") == "0");
  BOOST_TEST(unread("diagnostics").find("E-FILE-UNREADABLE") != std::string::npos,
             unread("diagnostics"));
  std::this_thread::sleep_for(1500ms);  // Long enough for a retry, had there been one.
  BOOST_TEST(occurrences(daemon.log(), "file=secret.json") == 1u, daemon.log());
  BOOST_TEST(daemon.log().find("retrying") == std::string::npos, daemon.log());
  BOOST_TEST(count_files(daemon.state_dir() / "processing", true) == 0);
  BOOST_TEST(daemon.stop() == 0);
}

// An unreadable file's row is committed before its move; killed between the two, the next
// daemon finds it in processing/ again and completes the move: still one row, one reason.
BOOST_AUTO_TEST_CASE(an_unreadable_file_killed_before_its_move_keeps_one_row) {
  TempDir temp;
  DaemonProcess daemon(temp / "state");
  if (!run_as_nobody_if_root(temp, daemon)) return;
  BOOST_TEST_REQUIRE(daemon.start({"CLAIMAUDIT_CRASH_POINT=after-commit"}), daemon.log());
  drop_unreadable(daemon, "secret.json", "SECRET-2");
  BOOST_TEST_REQUIRE(daemon.wait_exit(10s) == 128 + SIGKILL, daemon.log());
  BOOST_TEST(fs::exists(daemon.state_dir() / "processing" / "inbox" / "secret.json"));
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM files") == 1);
  BOOST_TEST_REQUIRE(daemon.start(), daemon.log());
  const fs::path quarantine = daemon.state_dir() / "quarantine";
  BOOST_TEST_REQUIRE(wait_until([&] { return fs::exists(quarantine / "secret.json"); }, 10s),
                     daemon.log());
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM files") == 1);
  BOOST_TEST(sql_text(daemon.database(), "SELECT stored_path FROM files") ==
             "quarantine/secret.json");
  BOOST_TEST(names_in(quarantine) ==
             (std::vector<std::string>{"secret.json", "secret.json.reason.json"}));
  BOOST_TEST(count_files(daemon.state_dir() / "processing", true) == 0);
  BOOST_TEST(daemon.stop() == 0);
}

// Regression (session 12): a hard link made in the drop folder (ln FILE inbox/) raises no
// IN_CLOSE_WRITE or IN_MOVED_TO, so it was never audited until the daemon restarted.
BOOST_AUTO_TEST_CASE(a_hard_link_made_in_the_drop_folder_is_audited) {
  Fixture f;
  const fs::path outside = f.temp / "outside.json";
  {
    std::ofstream out(outside);
    out << json_claim("LINKED-1", "M54.50");
  }
  fs::create_hard_link(outside, f.daemon.inbox() / "linked.json");
  f.wait_done(1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'LINKED-1'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13): a hard link whose first name was removed at once (ln FILE inbox/ &&
// rm FILE) had one name when its IN_CREATE was read, was taken for a file still being written,
// and waited for an IN_CLOSE_WRITE that never comes: it was audited only after a restart.
BOOST_AUTO_TEST_CASE(a_hard_link_whose_original_is_removed_at_once_is_audited) {
  Fixture f;
  const fs::path outside = f.temp / "spool.json";
  {
    std::ofstream out(outside);
    out << json_claim("LINKED-2", "M54.50");
  }
  fs::create_hard_link(outside, f.daemon.inbox() / "delivered.json");
  fs::remove(outside);
  BOOST_TEST_REQUIRE(wait_until([&] { return f.done(1); }, 5s), f.daemon.log());
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'LINKED-2'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 12): `rm -rf inbox; mkdir inbox` (or renaming it away) while the daemon
// ran left the new folder unwatched: files dropped there waited for a restart, after one log
// line. Now the folder is recreated if need be and watched again within about a second.
BOOST_AUTO_TEST_CASE(a_drop_folder_removed_while_running_is_watched_again) {
  Fixture f;
  fs::remove_all(f.daemon.inbox());
  BOOST_TEST_REQUIRE(wait_until([&] { return fs::is_directory(f.daemon.inbox()); }, 10s),
                     f.daemon.log());
  drop_file(f.daemon.inbox(), "after-remove.json", json_claim("AFTER-REMOVE", "M54.50"));
  f.wait_done(1);
  fs::rename(f.daemon.inbox(), f.temp / "inbox-old");
  fs::create_directory(f.daemon.inbox());
  drop_file(f.daemon.inbox(), "after-rename.json", json_claim("AFTER-RENAME", "M54.50"));
  f.wait_done(2);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id IN ('AFTER-REMOVE', "
                   "'AFTER-RENAME')") == 2);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13b): a drop folder that could not be watched again (its path naming
// something else) was shown as the last error in the status, and still was once it was watched
// again, an error no longer true. Without root, as the mount test below cannot run.
BOOST_AUTO_TEST_CASE(a_drop_folder_watched_again_is_no_longer_the_last_error) {
  Fixture f;
  const fs::path inbox = f.daemon.inbox();
  const auto status = [&] {
    return run_command("curl -s --unix-socket " +
                       shell_quote((f.daemon.state_dir() / "claimauditd.sock").string()) +
                       " http://claimauditd/v1/status")
        .out;
  };
  fs::rename(inbox, f.temp / "inbox-old");
  { std::ofstream(inbox) << "not a folder\n"; }
  const std::string not_watched = "drop directory " + inbox.string() +
                                  " is not watched: its path names something that is not a folder";
  std::string text;
  BOOST_TEST_REQUIRE(wait_until(
                         [&] {
                           text = status();
                           return text.find(not_watched) != std::string::npos;
                         },
                         10s),
                     text + f.daemon.log());
  fs::remove(inbox);
  fs::create_directory(inbox);
  BOOST_TEST(wait_until(
                 [&] {
                   text = status();
                   return text.find(not_watched) == std::string::npos;
                 },
                 10s),
             text + f.daemon.log());
  BOOST_TEST(text.find("\"last_error\":\"\"") != std::string::npos, text);
  BOOST_TEST(f.daemon.log().find("drop directory " + inbox.string() + " is watched again") !=
                 std::string::npos,
             f.daemon.log());
  drop_file(inbox, "watched-again.json", json_claim("WATCHED-AGAIN", "M54.50"));
  f.wait_done(1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'WATCHED-AGAIN'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13): a file system mounted over a drop folder (or the drop folder's file
// system unmounted with umount -l) raised no inotify event, so the daemon went on watching the
// folder underneath, where nobody could drop any more: files dropped on the mount were never
// audited and nothing was said. And a lost drop folder was recreated with all its missing
// parents wherever its path led, also on the disk under an unmounted file system. Now its path
// is checked every second: a folder on another file system than at start-up is not watched
// (files there could not be moved into the state directory), the log and the status say why,
// and the folder is watched again when its path leads back to its own file system.
BOOST_AUTO_TEST_CASE(a_file_system_mounted_over_a_drop_folder_is_said_and_not_watched) {
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("skipped: mounting needs root");
    return;
  }
  Fixture f;
  const fs::path inbox = f.daemon.inbox();
  const std::string mount =
      "mount -t tmpfs -o size=1m claimaudit-test " + shell_quote(inbox.string()) + " 2>/dev/null";
  if (std::system(mount.c_str()) != 0) {
    BOOST_TEST_MESSAGE("skipped: cannot mount a tmpfs here");
    return;
  }
  struct Unmount {
    explicit Unmount(fs::path at) : path(std::move(at)) {}
    Unmount(const Unmount&) = delete;
    Unmount& operator=(const Unmount&) = delete;
    ~Unmount() {
      if (mounted) ::umount2(path.c_str(), MNT_DETACH);
    }
    fs::path path;
    bool mounted = true;
  } unmount(inbox);
  const std::string refused = "drop directory " + inbox.string() +
                              " is not watched: its path names a folder on another file system";
  BOOST_TEST_REQUIRE(
      wait_until([&] { return f.daemon.log().find(refused) != std::string::npos; }, 10s),
      f.daemon.log());
  drop_file(inbox, "on-mount.json", json_claim("ON-MOUNT", "M54.50"));
  const auto status = [&] {
    return run_command("curl -s --unix-socket " +
                       shell_quote((f.daemon.state_dir() / "claimauditd.sock").string()) +
                       " http://claimauditd/v1/status")
        .out;
  };
  const std::string not_watched = "is not watched: its path names a folder on another file system";
  const std::string while_mounted = status();
  BOOST_TEST(while_mounted.find(not_watched) != std::string::npos, while_mounted);
  std::this_thread::sleep_for(1500ms);
  BOOST_TEST(fs::exists(inbox / "on-mount.json"));  // Left where it is, on the mount.
  BOOST_TEST_REQUIRE(::umount2(inbox.c_str(), 0) == 0);
  unmount.mounted = false;
  BOOST_TEST_REQUIRE(wait_until(
                         [&] {
                           return f.daemon.log().find("drop directory " + inbox.string() +
                                                      " is watched again") != std::string::npos;
                         },
                         10s),
                     f.daemon.log());
  // Session 13b: once watched again, the status no longer says it is not (it did until the
  // daemon stopped, an error no longer true).
  std::string watched_again;
  BOOST_TEST(wait_until(
                 [&] {
                   watched_again = status();
                   return watched_again.find(not_watched) == std::string::npos;
                 },
                 5s),
             watched_again);
  BOOST_TEST(watched_again.find("\"last_error\":\"\"") != std::string::npos, watched_again);
  drop_file(inbox, "after-unmount.json", json_claim("AFTER-UNMOUNT", "M54.50"));
  f.wait_done(1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'AFTER-UNMOUNT'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'ON-MOUNT'") == 0);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13): a file closed by one writer while another still had it open (a
// second open, a forked child closing its copy of the descriptor) was taken at that first
// close and read half written: quarantined as broken JSON, the rest written into processing/
// unread. It is taken at its last close and audited whole.
BOOST_AUTO_TEST_CASE(a_file_still_open_for_writing_elsewhere_is_taken_at_its_last_close) {
  Fixture f;
  const fs::path path = f.daemon.inbox() / "two-writers.json";
  const std::string whole = json_claim("TWO-WRITERS", "M54.50");
  const int first = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  const int second = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  BOOST_TEST_REQUIRE(first >= 0);
  BOOST_TEST_REQUIRE(second >= 0);
  const std::size_t half = whole.size() / 2;
  BOOST_TEST(::write(first, whole.data(), half) == static_cast<ssize_t>(half));
  ::close(first);
  std::this_thread::sleep_for(500ms);  // Long enough for the daemon to take it, were it to.
  BOOST_TEST(fs::exists(path), f.daemon.log());
  BOOST_TEST(::write(second, whole.data() + half, whole.size() - half) ==
             static_cast<ssize_t>(whole.size() - half));
  ::close(second);
  f.wait_done(1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'TWO-WRITERS'") == 1);
  BOOST_TEST(f.sql_string("SELECT outcome FROM files") == "archived");
  BOOST_TEST(count_files(f.daemon.state_dir() / "quarantine") == 0);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13): a writer that appends to its file after closing it (`cat a >> x`
// after `cat b > x`, or one that closes and re-opens it) writes the rest into a new file of the
// same name once the daemon has taken the first part, and that rest was audited as a file of
// its own, as if complete, without a word. Written in place within 10 s of the take, it is
// quarantined with E-FILE-APPENDED and what writers must do.
BOOST_AUTO_TEST_CASE(more_written_to_a_file_after_it_was_taken_is_quarantined_with_why) {
  Fixture f;
  const fs::path path = f.daemon.inbox() / "appended.json";
  // One document written in two pieces by a writer that closes in between: the second piece
  // is no document of its own.
  const std::string whole = json_claim("APPEND-1", "M54.50");
  const std::size_t cut = whole.find("APPEND-1");
  {
    std::ofstream out(path);  // Written in place: taken at its IN_CLOSE_WRITE.
    out << whole.substr(0, cut);
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return !fs::exists(path); }, 10s), f.daemon.log());
  {
    std::ofstream out(path, std::ios::app);  // The rest, as `>>` writes it.
    out << whole.substr(cut);
  }
  f.wait_done(2);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims") == 0);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE name = 'appended.json' AND outcome = "
                   "'quarantined'") == 2);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE name = 'appended.json' AND diagnostics "
                   "LIKE '%E-FILE-APPENDED%'") == 1);
  const std::string second =
      f.sql_string("SELECT stored_path FROM files WHERE diagnostics LIKE '%E-FILE-APPENDED%'");
  const fs::path reason_path = f.daemon.state_dir() / (second + ".reason.json");
  BOOST_TEST_REQUIRE(fs::exists(reason_path), second + "\n" + f.daemon.log());
  const std::string reason = slurp(reason_path);
  BOOST_TEST(reason.find("E-FILE-APPENDED") != std::string::npos, reason);
  BOOST_TEST(reason.find("rename the finished file into the drop folder") != std::string::npos,
             reason);
  BOOST_TEST(
      f.daemon.log().find("file=appended.json was written in drop directory") != std::string::npos,
      f.daemon.log());
  // Nothing is lost: the two pieces, put together and renamed in, are the claim.
  const std::string first =
      f.sql_string("SELECT stored_path FROM files WHERE diagnostics NOT LIKE '%E-FILE-APPENDED%'");
  drop_file(f.daemon.inbox(), "appended.json",
            slurp(f.daemon.state_dir() / first) + slurp(f.daemon.state_dir() / second));
  f.wait_done(3);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'APPEND-1'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// The daemon asks whether a file still has a writer with a read lease (let go at once); a
// writer opening the file in that moment breaks the lease, and the kernel sends SIGIO, which by
// default ends a process. The daemon ignores it: it goes on auditing.
BOOST_AUTO_TEST_CASE(a_lease_break_signal_does_not_stop_the_daemon) {
  Fixture f;
  f.daemon.signal(SIGIO);
  drop_file(f.daemon.inbox(), "after-sigio.json", json_claim("SIGIO-1", "M54.50"));
  f.wait_done(1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'SIGIO-1'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// A sender that writes whole files in place under one name, one soon after another, loses
// nothing: a file that begins as a document of its own is audited, with a warning that says
// what an append would have done; only a fragment is E-FILE-APPENDED (above).
BOOST_AUTO_TEST_CASE(a_whole_file_written_again_under_a_name_just_taken_is_audited_and_said) {
  Fixture f;
  const fs::path path = f.daemon.inbox() / "outbound.json";
  {
    std::ofstream out(path);  // Written in place: taken at its IN_CLOSE_WRITE.
    out << json_claim("REUSED-1", "M54.50");
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return !fs::exists(path); }, 10s), f.daemon.log());
  {
    std::ofstream out(path);  // The next whole file, under the same name.
    out << json_claim("REUSED-2", "M54.50");
  }
  f.wait_done(2);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'REUSED-1'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'REUSED-2'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE name = 'outbound.json' AND outcome = "
                   "'archived'") == 2);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE name = 'outbound.json' AND diagnostics "
                   "LIKE '%W-FILE-WRITTEN-AFTER-TAKE%'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE diagnostics LIKE '%E-FILE-APPENDED%'") == 0);
  BOOST_TEST(!fs::exists(f.daemon.state_dir() / "quarantine" / "outbound.json"));
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 12): when the store or the disk failed (a full disk: the commit refused,
// the reason file not written), each retry counted as another attempt, so the third made the
// file poison, and once there was room again it was quarantined as an internal error instead of
// being audited. Retries of such failures are not attempts, and back off (1, 2, 4 ... 64 s).
BOOST_AUTO_TEST_CASE(a_file_system_failure_never_makes_a_file_poison) {
  Fixture f;
  const fs::path quarantine = f.daemon.state_dir() / "quarantine";
  fs::remove_all(quarantine);
  {
    std::ofstream out(quarantine);  // A file where the folder should be: nothing goes in.
    out << "in the way\n";
  }
  drop_file(f.daemon.inbox(), "bad.json", "not json at all\n");
  BOOST_TEST_REQUIRE(
      wait_until([&] { return occurrences(f.daemon.log(), "file=bad.json audit failed") >= 3; },
                 30s),
      f.daemon.log());
  fs::remove(quarantine);
  fs::create_directory(quarantine);
  const fs::path reason_path = quarantine / "bad.json.reason.json";
  BOOST_TEST_REQUIRE(
      wait_until([&] { return fs::exists(reason_path) && fs::exists(quarantine / "bad.json"); },
                 30s),
      f.daemon.log());
  const std::string reason = slurp(reason_path);
  BOOST_TEST(reason.find("E-INTERNAL") == std::string::npos, reason);
  BOOST_TEST(reason.find("E-FORMAT-UNKNOWN") != std::string::npos, reason);
  BOOST_TEST(f.sql("SELECT attempts FROM files WHERE name = 'bad.json'") == 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

// Regression (session 13): an I/O error reading a file (EIO: a failing disk, a broken network
// mount) counted as a failed attempt, so the third made the file poison and it was quarantined
// as an internal error. Like a full disk, it is the environment's failure: retried with the
// same back-off, never counted. (CLAIMAUDIT_READ_FAULT makes the first three reads fail.)
BOOST_AUTO_TEST_CASE(an_io_error_reading_a_file_never_makes_it_poison) {
  TempDir temp;
  DaemonProcess daemon(temp / "state");
  BOOST_TEST_REQUIRE(daemon.start({"CLAIMAUDIT_READ_FAULT=eio.json:3"}), daemon.log());
  drop_file(daemon.inbox(), "eio.json", json_claim("EIO-1", "M54.50"));
  BOOST_TEST_REQUIRE(
      wait_until(
          [&] {
            return fs::exists(daemon.database()) &&
                   sql_integer(daemon.database(),
                               "SELECT count(*) FROM files WHERE name = 'eio.json' AND state = "
                               "'done'") == 1 &&
                   count_files(daemon.state_dir() / "processing", true) == 0;
          },
          40s),
      daemon.log());
  BOOST_TEST(occurrences(daemon.log(), "file=eio.json audit failed") == 3u, daemon.log());
  BOOST_TEST(daemon.log().find("Input/output error") != std::string::npos, daemon.log());
  BOOST_TEST(sql_text(daemon.database(), "SELECT outcome FROM files WHERE name = 'eio.json'") ==
             "archived");
  BOOST_TEST(sql_integer(daemon.database(), "SELECT attempts FROM files WHERE name = 'eio.json'") ==
             1);
  BOOST_TEST(
      sql_integer(daemon.database(), "SELECT count(*) FROM claims WHERE claim_id = 'EIO-1'") == 1);
  BOOST_TEST(count_files(daemon.state_dir() / "quarantine") == 0);
  BOOST_TEST(daemon.stop() == 0);
}

// Regression (session 12): a file name is the sender's text, and it went into the log as it was:
// a name holding a newline forged a whole log line of its own, and one holding ESC sent escape
// sequences to the terminal of whoever read the log. Control characters are logged as escapes;
// the file keeps its name in the archive and the database.
BOOST_AUTO_TEST_CASE(a_file_name_cannot_forge_log_lines) {
  Fixture f;
  const std::string name =
      "evil\n2026-01-01T00:00:00.000 info file=forged.json claims=9\x1B[31m.json";
  drop_file(f.daemon.inbox(), name, json_claim("FORGE-1", "M54.50"));
  f.wait_done(1);
  BOOST_TEST(f.sql_string("SELECT name FROM files") == name);
  const std::string log = f.daemon.log();
  BOOST_TEST(log.find("\n2026-01-01T00:00:00.000") == std::string::npos, log);
  BOOST_TEST(log.find('\x1B') == std::string::npos, log);
  BOOST_TEST(log.find("file=evil\\n2026-01-01T00:00:00.000 info file=forged.json claims=9\\x1B[31m"
                      ".json claims=1") != std::string::npos,
             log);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
