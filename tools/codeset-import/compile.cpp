// codeset-compile: the build-time generator. Reads the committed text form of the code history
// (data/codeset/editions.tsv, codes-*.tsv) and the edit lists (data/edits/mce.tsv,
// poa-exempt-fy*.tsv) and writes the compact table codeset.bin that CodeSet::load maps.
//
//   codeset-compile --codeset DIR --edits DIR --out FILE
//
// Exit codes: 0 written; 1 bad input (file:line: message on stderr); 64 bad command line;
// 74 cannot write.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "codes/history.hpp"
#include "codes/table_writer.hpp"
#include "core/diagnostic.hpp"

namespace fs = std::filesystem;
using namespace claimaudit;

namespace {

bool read_text(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

std::vector<fs::path> matching(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".tsv")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path codeset_dir, edits_dir, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--codeset") {
      codeset_dir = argv[i + 1];
    } else if (arg == "--edits") {
      edits_dir = argv[i + 1];
    } else if (arg == "--out") {
      out = argv[i + 1];
    }
  }
  if (codeset_dir.empty() || edits_dir.empty() || out.empty()) {
    std::fprintf(stderr, "usage: codeset-compile --codeset DIR --edits DIR --out FILE\n");
    return 64;
  }
  std::vector<core::Diagnostic> diags;
  codes::CodeHistory history;
  codes::EditTables edits;
  std::string text;
  if (!read_text(codeset_dir / "editions.tsv", text)) {
    std::fprintf(stderr, "codeset-compile: cannot read %s\n",
                 (codeset_dir / "editions.tsv").c_str());
    return 1;
  }
  codes::read_editions_text(text, "editions.tsv", history, diags);
  const auto code_files = matching(codeset_dir, "codes-");
  if (code_files.empty()) {
    std::fprintf(stderr, "codeset-compile: no codes-*.tsv in %s\n", codeset_dir.c_str());
    return 1;
  }
  for (const auto& path : code_files) {
    if (!read_text(path, text)) {
      std::fprintf(stderr, "codeset-compile: cannot read %s\n", path.c_str());
      return 1;
    }
    codes::read_codes_text(text, path.filename().string(), history, diags);
  }
  codes::finish_history(history, diags);
  if (read_text(edits_dir / "mce.tsv", text)) codes::read_mce_text(text, "mce.tsv", edits, diags);
  for (const auto& path : matching(edits_dir, "poa-exempt-fy")) {
    if (read_text(path, text)) {
      const auto name = path.filename().string();  // poa-exempt-fy2026.tsv
      edits.poa_year = std::stoi(name.substr(13, 4));
      codes::read_poa_text(text, name, edits, diags);
    }
  }
  if (core::has_errors(diags)) {
    for (const auto& diag : diags) std::fprintf(stderr, "%s\n", core::render(diag).c_str());
    return 1;
  }
  std::string bytes;
  try {
    bytes = codes::build_table(history, edits);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "codeset-compile: %s\n", e.what());
    return 1;
  }
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  auto temp = out;
  temp += ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file.flush()) {
      std::fprintf(stderr, "codeset-compile: cannot write %s\n", temp.c_str());
      return 74;
    }
  }
  fs::rename(temp, out, ec);
  if (ec) {
    std::fprintf(stderr, "codeset-compile: cannot rename %s: %s\n", out.c_str(),
                 ec.message().c_str());
    return 74;
  }
  return 0;
}
