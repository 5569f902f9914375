#include "store/json_text.hpp"

#include <cstdio>

namespace claimaudit::store {

std::string where_text(const core::SourceLocation& where) {
  if (!where.path.empty()) return where.path;
  if (where.line > 0) {
    std::string out = "line " + std::to_string(where.line);
    if (where.column > 0) out += ", column " + std::to_string(where.column);
    return out;
  }
  return {};
}

std::string diagnostics_json(const std::vector<core::Diagnostic>& diagnostics, Where where) {
  std::string out = "[";
  for (const core::Diagnostic& diagnostic : diagnostics) {
    if (out.size() > 1) out.push_back(',');
    out += "{\"severity\":";
    append_json_string(out, core::to_string(diagnostic.severity));
    out += ",\"code\":";
    append_json_string(out, diagnostic.code);
    out += ",\"where\":";
    append_json_string(out, where == Where::kFile ? core::render_location(diagnostic.where)
                                                  : where_text(diagnostic.where));
    out += ",\"message\":";
    append_json_string(out, diagnostic.message);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

}  // namespace claimaudit::store
