#include "core/diagnostic.hpp"

#include <algorithm>
#include <string>

namespace claimaudit::core {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string render_location(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  if (!where.path.empty()) {
    if (!out.empty()) out += ": ";
    out += where.path;
  }
  return out;
}

std::string render(const Diagnostic& diagnostic) {
  std::string out = render_location(diagnostic.where);
  if (!out.empty()) out += ": ";
  out += to_string(diagnostic.severity);
  out += ' ';
  out += diagnostic.code;
  out += ": ";
  out += diagnostic.message;
  return out;
}

std::string render_with_source(const Diagnostic& diagnostic, std::string_view source, int length) {
  std::string out = render(diagnostic);
  if (diagnostic.where.line <= 0) return out;
  // Find the line.
  std::size_t start = 0;
  for (int line = 1; line < diagnostic.where.line; ++line) {
    const std::size_t newline = source.find('\n', start);
    if (newline == std::string_view::npos) return out;
    start = newline + 1;
  }
  std::size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  const std::string number = std::to_string(diagnostic.where.line);
  const std::string gutter(std::max<std::size_t>(number.size(), 4), ' ');
  const std::string padded = std::string(gutter.size() - number.size(), ' ') + number;
  out += '\n';
  out += ' ' + padded + " | ";
  out += text;
  if (diagnostic.where.column > 0) {
    out += '\n';
    out += ' ' + gutter + " | ";
    // Keep tabs so the caret lines up under tab-indented text.
    for (int i = 1; i < diagnostic.where.column && static_cast<std::size_t>(i - 1) < text.size();
         ++i) {
      out += text[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
    }
    out += '^';
    if (length > 1) out += std::string(static_cast<std::size_t>(length - 1), '~');
  }
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace claimaudit::core
