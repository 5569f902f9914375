#include "core/icd10_code.hpp"

namespace claimaudit::core {

std::optional<std::string> normalize_icd10(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && i == 3) continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) return std::nullopt;
    out += c;
  }
  if (out.size() < 3 || out.size() > 7) return std::nullopt;
  return out;
}

std::string dotted_icd10(std::string_view normalized) {
  std::string out(normalized);
  if (out.size() > 3) out.insert(3, 1, '.');
  return out;
}

std::size_t icd9_dot_position(std::string_view normalized) {
  return !normalized.empty() && (normalized.front() == 'E' || normalized.front() == 'e') ? 4 : 3;
}

std::string dotted_icd9(std::string_view normalized) {
  std::string out(normalized);
  const std::size_t dot = icd9_dot_position(normalized);
  if (out.size() > dot) out.insert(dot, 1, '.');
  return out;
}

std::string dotted_code(std::string_view normalized, bool icd9) {
  return icd9 ? dotted_icd9(normalized) : dotted_icd10(normalized);
}

std::optional<std::string> normalize_diagnosis_code(std::string_view text) {
  if (auto code = normalize_icd10(text)) return code;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  // E + three digits + '.' + one digit: E880.9, E849.0 (ICD-9-CM E codes are E800-E999 with
  // at most one digit after the dot).
  if (text.size() != 6 || (text[0] != 'E' && text[0] != 'e') || text[4] != '.') {
    return std::nullopt;
  }
  std::string out = "E";
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    out += text[i];
  }
  return out;
}

}  // namespace claimaudit::core
