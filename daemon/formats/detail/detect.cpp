#include "formats/detail/detect.hpp"

#include <array>
#include <optional>

namespace claimaudit::formats::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_upper_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::string_view skip_space(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text;
}

// What a tolerant scan of a (possibly truncated) JSON object's top-level members found.
struct TopLevelKeys {
  std::optional<std::string> resource_type;
  std::optional<std::string> format;
  bool claims = false;
  bool claim_id = false;
  bool fhir_key = false;  // A top-level member only FHIR resources have ("entry", "meta"...).
  bool complete = false;  // The object's closing brace is inside the head.
};

// Top-level members of a FHIR Bundle or Claim that claimaudit.claim/1 never has. A serialiser
// that sorts keys puts "resourceType" after them, possibly beyond the head.
bool is_fhir_only_key(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "billablePeriod", "careTeam",      "contained", "created",
      "diagnosis",      "entry",         "extension", "fullUrl",
      "identifier",     "implicitRules", "insurance", "insurer",
      "item",           "link",          "meta",      "modifierExtension",
      "supportingInfo", "timestamp"};
  for (const std::string_view candidate : kKeys) {
    if (key == candidate) return true;
  }
  return false;
}

// Reads a JSON string starting at text[pos] == '"'. Returns the decoded value (escapes other than
// \" and \\ are kept raw: only ASCII keys and words matter here) and moves pos past it; nullopt
// if the head ends inside it.
std::optional<std::string> read_string(std::string_view text, std::size_t& pos) {
  std::string out;
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      pos = i + 1;
      return out;
    }
    if (c == '\\') {
      if (++i >= text.size()) return std::nullopt;
      const char escaped = text[i];
      out += escaped == '"' || escaped == '\\' || escaped == '/' ? escaped : '?';
      continue;
    }
    out += c;
  }
  return std::nullopt;
}

// The state of scan_top_level() between tokens, and what it does with a string.
struct TopLevelScan {
  TopLevelKeys keys;
  int depth = 0;
  bool expect_key = false;
  std::string pending_key;  // A depth-1 key whose string value we want.

  // The string at text[pos] == '"', which it moves past: a top-level key, or a value (kept when
  // it is the value of a top-level key we want). False if the head ends inside it.
  bool on_string(std::string_view text, std::size_t& pos) {
    const bool was_key = expect_key && depth == 1;
    auto value = read_string(text, pos);
    if (!value) return false;
    if (was_key) {
      expect_key = false;
      note_key(*value);
      return true;
    }
    if (depth == 1 && pending_key == "resourceType") keys.resource_type = *value;
    if (depth == 1 && pending_key == "format") keys.format = *value;
    pending_key.clear();
    return true;
  }

  void note_key(const std::string& key) {
    pending_key.clear();
    if (key == "resourceType" || key == "format") pending_key = key;
    if (key == "claims") keys.claims = true;
    if (key == "claim_id") keys.claim_id = true;
    if (is_fhir_only_key(key)) keys.fhir_key = true;
  }
};

// Walks the object that starts at text[0] == '{' and records the top-level keys of interest.
// Stops quietly at the end of the head or at anything that is not JSON.
TopLevelKeys scan_top_level(std::string_view text) {
  TopLevelScan scan;
  TopLevelKeys& keys = scan.keys;
  int& depth = scan.depth;
  bool& expect_key = scan.expect_key;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '{') {
      ++depth;
      expect_key = depth == 1;
      ++pos;
    } else if (c == '[') {
      ++depth;
      expect_key = false;
      ++pos;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) {
        keys.complete = true;
        break;
      }
      ++pos;
    } else if (c == ',') {
      expect_key = depth == 1;
      ++pos;
    } else if (c == ':') {
      expect_key = false;
      ++pos;
    } else if (c == '"') {
      if (!scan.on_string(text, pos)) break;
    } else {
      if (!is_space(c) && depth == 1) scan.pending_key.clear();
      ++pos;
    }
  }
  return keys;
}

std::optional<std::string_view> utf16_or_32(std::string_view head) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() >= 4 && byte(0) == 0xFF && byte(1) == 0xFE && byte(2) == 0 && byte(3) == 0) {
    return "UTF-32LE";
  }
  if (head.size() >= 4 && byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF) {
    return "UTF-32BE";
  }
  if (head.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE) return "UTF-16LE";
  if (head.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF) return "UTF-16BE";
  // Without a byte order mark: ASCII text in UTF-16 puts a NUL in every other byte.
  if (head.size() >= 4) {
    if (byte(0) != 0 && byte(1) == 0 && byte(2) != 0 && byte(3) == 0) return "UTF-16LE";
    if (byte(0) == 0 && byte(1) != 0 && byte(2) == 0 && byte(3) != 0) return "UTF-16BE";
  }
  return std::nullopt;
}

// A compressed file, an archive or a document dropped by mistake, by its magic number: "gzip"
// for "\x1F\x8B...". The daemon reads claim files as they are (STYLE.md: zlib only in the
// importer), so the reason says what the file is and what to do.
std::optional<std::string_view> container_kind(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    std::string_view kind;
  };
  static constexpr std::array<Magic, 7> kMagics = {{
      {"\x1F\x8B", "gzip-compressed"},
      {"PK\x03\x04", "a ZIP archive"},
      {"\x28\xB5\x2F\xFD", "zstd-compressed"},
      {"BZh", "bzip2-compressed"},
      {"\xFD"
       "7zXZ",
       "xz-compressed"},
      {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
      {"%PDF-", "a PDF document"},
  }};
  for (const Magic& magic : kMagics) {
    if (head.substr(0, magic.bytes.size()) == magic.bytes) return magic.kind;
  }
  return std::nullopt;
}

}  // namespace

Detection detect_with_reason(std::string_view head) {
  if (head.empty()) return {Format::kUnknown, "file is empty"};
  if (auto encoding = utf16_or_32(head)) {
    return {Format::kUnknown, "file is encoded in " + std::string(*encoding) +
                                  "; claim files must be ASCII or UTF-8 (convert it, e.g. with "
                                  "iconv, and drop it again)"};
  }
  if (auto kind = container_kind(head)) {
    return {Format::kUnknown, "file is " + std::string(*kind) +
                                  "; drop the claim file itself (an X12 837, FHIR JSON or "
                                  "claimaudit.claim/1 JSON), uncompressed and one per file"};
  }
  std::string_view text = head;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text = skip_space(text);
  if (text.empty()) return {Format::kUnknown, "file holds only white space"};
  if (text.substr(0, 3) == "ISA") return {Format::kX12, {}};
  // An interchange that starts at GS or ST: X12 without its envelope. The X12 reader owns the
  // message for that ("no ISA").
  if (text.size() >= 3 && (text.substr(0, 2) == "GS" || text.substr(0, 2) == "ST") &&
      !is_upper_alnum(text[2]) && !is_space(text[2]) && text[2] != '"' && text[2] != '{') {
    return {Format::kX12, {}};
  }
  if (text.front() == '[') {
    return {Format::kUnknown,
            "file is a JSON array; expected one FHIR resource (a Claim or a Bundle) or a "
            "claimaudit.claim/1 object"};
  }
  if (text.front() != '{') {
    return {Format::kUnknown,
            "not a claim file: no X12 ISA segment, and not a JSON object (FHIR or "
            "claimaudit.claim/1)"};
  }
  const TopLevelKeys keys = scan_top_level(text);
  if (keys.resource_type) return {Format::kFhir, {}};
  if (keys.format) {
    if (keys.format->rfind("claimaudit.claim/", 0) == 0) return {Format::kClaimJson, {}};
    return {Format::kUnknown,
            "JSON object whose \"format\" is not claimaudit.claim/1, and no FHIR "
            "\"resourceType\""};
  }
  if (keys.claims || keys.claim_id) return {Format::kClaimJson, {}};
  // "resourceType" may come later than the head reaches (keys sorted alphabetically): the FHIR
  // reader reads the whole object and says so if it is missing after all.
  if (!keys.complete && keys.fhir_key) return {Format::kFhir, {}};
  return {Format::kUnknown,
          "JSON object with neither a FHIR \"resourceType\" nor \"format\": "
          "\"claimaudit.claim/1\" near its start"};
}

}  // namespace claimaudit::formats::detail
