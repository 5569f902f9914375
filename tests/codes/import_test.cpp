// Runs the real codeset-import: the committed data/ equals a fresh import of ../shared (the CI
// check), the output is deterministic, and broken inputs are rejected with file:line and change
// nothing.
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "read_file.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using claimaudit::testing::read_file;
using claimaudit::testing::shared_dir;
using claimaudit::testing::source_dir;
using claimaudit::testing::TempDir;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string quote(const fs::path& path) { return "'" + path.string() + "'"; }

Run run_import(const TempDir& work, const fs::path& icd10cm, const fs::path& out,
               const fs::path& edits_out, const std::string& extra = "") {
  const std::string command = std::string(CODESET_IMPORT) + " --icd10cm " + quote(icd10cm) +
                              " --edits " + quote(shared_dir() / "edits") + " --corrections " +
                              quote(source_dir() / "data/codeset/corrections.tsv") + " --out " +
                              quote(out) + " --edits-out " + quote(edits_out) + " " + extra + " >" +
                              quote(work / "stdout") + " 2>" + quote(work / "stderr");
  Run run;
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(work / "stdout");
  run.err = read_file(work / "stderr");
  return run;
}

// Every regular file of a folder, by name.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path().filename().string()] = read_file(entry.path());
  }
  return files;
}

// A mirror of ../shared/icd10cm made of symbolic links, so one file can be replaced.
fs::path mirror_icd10cm(const TempDir& work) {
  const auto source = shared_dir() / "icd10cm";
  auto target = work / "icd10cm";
  for (const auto& entry : fs::recursive_directory_iterator(source)) {
    const auto relative = fs::relative(entry.path(), source);
    if (entry.is_directory()) {
      fs::create_directories(target / relative);
    } else {
      fs::create_symlink(entry.path(), target / relative);
    }
  }
  return target;
}

std::string decompressed(const std::string& relative) {
  auto file =
      claimaudit::codeset_import::read_file_bytes(shared_dir() / "icd10cm" / relative, relative);
  BOOST_TEST_REQUIRE(file.error.empty());
  return file.bytes;
}

// Seeds an output folder with two committed files, runs a rejected import into it, and checks
// the folder is byte-for-byte unchanged.
void expect_rejected_unchanged(const TempDir& work, const fs::path& icd10cm,
                               const std::vector<std::string>& expected_lines,
                               const std::string& extra = "") {
  const auto out = work / "out";
  const auto edits_out = work / "edits-out";
  fs::create_directories(out);
  fs::create_directories(edits_out);
  fs::copy_file(source_dir() / "data/codeset/editions.tsv", out / "editions.tsv");
  fs::copy_file(source_dir() / "data/codeset/codes-U.tsv", out / "codes-U.tsv");
  const auto before = files_of(out);
  const auto run = run_import(work, icd10cm, out, edits_out, extra);
  BOOST_TEST(run.exit_code == 1);
  for (const auto& line : expected_lines) {
    BOOST_TEST(run.err.find(line) != std::string::npos,
               "stderr lacks: " << line << "\nstderr: " << run.err);
  }
  BOOST_TEST(run.err.ends_with("codeset-import: rejected; nothing written\n"));
  BOOST_TEST((files_of(out) == before));
  BOOST_TEST(fs::is_empty(edits_out));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codeset_import)

BOOST_AUTO_TEST_CASE(committed_data_equals_a_fresh_import) {
  TempDir work;
  const auto out = work / "codeset";
  const auto edits_out = work / "edits";
  const auto run = run_import(work, shared_dir() / "icd10cm", out, edits_out);
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const auto fresh = files_of(out);
  auto committed = files_of(source_dir() / "data/codeset");
  committed.erase("corrections.tsv");  // The input, not an output.
  BOOST_TEST(fresh.size() == committed.size());
  for (const auto& [name, content] : committed) {
    const auto it = fresh.find(name);
    BOOST_TEST_REQUIRE((it != fresh.end()), "committed " << name << " is not produced any more");
    BOOST_TEST((it->second == content),
               "data/codeset/" << name << " differs from a fresh import: run codeset-import");
  }
  BOOST_TEST((files_of(edits_out) == files_of(source_dir() / "data/edits")));
  for (const auto& [name, content] : fresh) {
    BOOST_TEST(content.size() < (4u << 20), name << " is over 4 MiB");
  }
  // The generator turns the fresh text into exactly the table the build made (deterministic).
  const auto table = work / "codeset.bin";
  const std::string compile = std::string(CODESET_COMPILE) + " --codeset " + quote(out) +
                              " --edits " + quote(edits_out) + " --out " + quote(table);
  BOOST_TEST_REQUIRE(std::system(compile.c_str()) == 0);
  BOOST_TEST((read_file(table) == read_file(CLAIMAUDIT_CODESET_TABLE)));
  BOOST_TEST(run.out.find("corrections.tsv:5: U07.1 billable 2020-04-01..2020-09-30: applied") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_a_truncated_gz_order_file) {
  TempDir work;
  const auto icd10cm = mirror_icd10cm(work);
  const auto name = "fy2019/icd10cm_order_2019.txt.gz";
  const auto bytes = read_file(shared_dir() / "icd10cm" / name);
  fs::remove(icd10cm / name);
  work.write(std::string("icd10cm/") + name, std::string_view(bytes).substr(0, bytes.size() / 2));
  expect_rejected_unchanged(work, icd10cm,
                            {"codeset-import: fy2019/icd10cm_order_2019.txt.gz: line ",
                             ": gzip stream ends early (the file is truncated)\n"});
}

BOOST_AUTO_TEST_CASE(rejects_a_corrupted_gz_order_file) {
  TempDir work;
  const auto icd10cm = mirror_icd10cm(work);
  const auto name = "fy2024/icd10cm-order-2024.txt.gz";
  auto bytes = read_file(shared_dir() / "icd10cm" / name);
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = '\x55';
  fs::remove(icd10cm / name);
  work.write(std::string("icd10cm/") + name, bytes);
  expect_rejected_unchanged(
      work, icd10cm,
      {"codeset-import: fy2024/icd10cm-order-2024.txt.gz: line ", ": gzip data corrupt ("});
}

BOOST_AUTO_TEST_CASE(rejects_a_corrupted_line_in_a_plain_order_file) {
  TempDir work;
  const auto icd10cm = mirror_icd10cm(work);
  auto text = decompressed("fy2017/icd10cm_order_2017.txt.gz");
  // Line 500: the billable flag becomes 'X'.
  std::size_t pos = 0;
  for (int line = 1; line < 500; ++line) pos = text.find('\n', pos) + 1;
  text[pos + 14] = 'X';
  fs::remove(icd10cm / "fy2017/icd10cm_order_2017.txt.gz");
  work.write("icd10cm/fy2017/icd10cm_order_2017.txt", text);
  expect_rejected_unchanged(work, icd10cm,
                            {"codeset-import: fy2017/icd10cm_order_2017.txt:500: error "
                             "E-CODESET-ORDER-LINE: column 15: billable flag 'X', expected 0 "
                             "(header) or 1 (billable)\n"});
}

BOOST_AUTO_TEST_CASE(rejects_a_plain_order_file_cut_at_a_line_end) {
  TempDir work;
  const auto icd10cm = mirror_icd10cm(work);
  auto text = decompressed("fy2018/icd10cm_order_2018.txt.gz");
  // Keep the first 90,000 lines: every line parses, the count cannot match.
  std::size_t pos = 0;
  for (int line = 0; line < 90000; ++line) pos = text.find('\n', pos) + 1;
  text.resize(pos);
  std::size_t billable = 0;
  for (std::size_t p = 0; p < text.size(); p = text.find('\n', p) + 1)
    billable += text[p + 14] == '1';
  fs::remove(icd10cm / "fy2018/icd10cm_order_2018.txt.gz");
  work.write("icd10cm/fy2018/icd10cm_order_2018.txt", text);
  expect_rejected_unchanged(
      work, icd10cm,
      {"codeset-import: fy2018/icd10cm_order_2018.txt:90000: " + std::to_string(billable) +
       " billable codes, the release has 71704 (icd10cm/README.md): the file is truncated or "
       "altered\n"});
}

BOOST_AUTO_TEST_CASE(rejects_an_fy2027_codes_file_with_the_wrong_hash) {
  TempDir work;
  const auto fake = work.write("icd10cm_codes_2027.txt", "A000    Cholera\r\n");
  expect_rejected_unchanged(work, shared_dir() / "icd10cm",
                            {"icd10cm_codes_2027.txt: SHA-256 ",
                             " does not match the published "
                             "3c0583a38ee0e848f7dc0ac8ce88e8f001bbba8c6385ed825d44d46f6e5297c9"},
                            "--release fy2027:2026-10-01:2027-09-30:" + quote(fake));
}

BOOST_AUTO_TEST_CASE(accepts_a_user_release_codes_file) {
  TempDir work;
  // The official FY2026 codes file stands in for a newer release the user brings.
  const auto codes =
      work.write("icd10cm_codes_2026.txt", decompressed("fy2026/icd10cm_codes_2026.txt.gz"));
  const auto run = run_import(work, shared_dir() / "icd10cm", work / "out", work / "edits-out",
                              "--release fy2026-codes:2025-10-01:2026-09-30:" + quote(codes));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const auto editions = read_file(work / "out/editions.tsv");
  BOOST_TEST(editions.find("\nfy2026-codes\t2025-10-01\t2026-09-30\t74719\t") != std::string::npos,
             editions);
  BOOST_TEST(editions.find("\nfy2026\t") == std::string::npos);
  BOOST_TEST(run.out.find("--release fy2026-codes replaces fy2026") != std::string::npos);
  // G35 became a header: a formerly billable code that now heads billable codes.
  const auto g = read_file(work / "out/codes-G.tsv");
  BOOST_TEST(
      g.find("G35\t2025-10-01\t2027-09-30\theader\tfy2026-codes..fy2027-derived-makevision\t") !=
      std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
