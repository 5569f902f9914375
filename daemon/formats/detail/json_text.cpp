#include "formats/detail/json_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/json/parser.hpp>

namespace claimaudit::formats::detail {

JsonDocument read_json_document(ByteSource& source, const std::string& file_name) {
  JsonDocument document;
  std::array<char, std::size_t{64} * 1024> buffer{};
  for (;;) {
    const std::size_t count = source.read(buffer.data(), buffer.size());
    if (count == 0) break;
    if (document.text.size() + count > kMaxJsonDocumentBytes) {
      document.error = core::Diagnostic{core::Severity::kError,
                                        "E-JSON-TOO-LARGE",
                                        {file_name, 0, 0, ""},
                                        "JSON document larger than " +
                                            std::to_string(kMaxJsonDocumentBytes >> 20) +
                                            " MiB; split it into several files"};
      return document;
    }
    document.text.append(buffer.data(), count);
  }
  std::string_view text = document.text;
  std::size_t skipped = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    skipped = 3;
  }
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::parser parser({}, options);
  boost::json::error_code error;
  std::size_t consumed = parser.write_some(text.data(), text.size(), error);
  bool second_document = false;
  if (!error) {
    // Only white space may follow the document.
    const std::string_view rest = text.substr(consumed);
    const std::size_t extra = rest.find_first_not_of(" \t\r\n");
    if (extra != std::string_view::npos) {
      // (The parser may already have consumed the white space after the first value.)
      const std::size_t last = text.substr(0, consumed + extra).find_last_not_of(" \t\r");
      second_document = rest[extra] == '{' && last != std::string_view::npos && text[last] == '\n';
      consumed += extra;
      error = boost::json::make_error_code(boost::json::error::extra_data);
    }
  }
  if (error) {
    const TextPosition position = position_of_offset(document.text, skipped + consumed);
    const bool too_deep = error == boost::json::error::too_deep;
    std::string message = "not valid JSON: " + error.message();
    if (too_deep) {
      message = "JSON nested deeper than " + std::to_string(options.max_depth) +
                " levels; not read (no claim format needs that many)";
    } else if (second_document) {
      // NDJSON, as FHIR Bulk Data ($export) writes it.
      message +=
          ": a second object starts on a new line (NDJSON, one object per line, is not read: "
          "send one FHIR resource or Bundle, or one claimaudit.claim/1 claim or batch, per file)";
    }
    document.error = core::Diagnostic{core::Severity::kError,
                                      too_deep ? "E-JSON-TOO-DEEP" : "E-JSON-SYNTAX",
                                      {file_name, position.line, position.column, ""},
                                      std::move(message)};
    return document;
  }
  document.root = parser.release();
  document.duplicate_keys = find_duplicate_keys(document.text);
  return document;
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  std::string out(pointer);
  out += '/';
  out += std::to_string(index);
  return out;
}

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition position{1, 1};
  if (offset > text.size()) offset = text.size();
  // A UTF-8 byte order mark is not a column.
  const std::size_t first = text.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3 ? 3 : 0;
  for (std::size_t i = first; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++position.column;  // Count characters, not UTF-8 continuation bytes.
    }
  }
  return position;
}

namespace {

// A forward-only walk over JSON text that is already known to be valid (it parsed).
class TextWalker {
 public:
  explicit TextWalker(std::string_view text) : text_(text) {}

  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void advance() { ++pos_; }
  // Past a UTF-8 byte order mark at the start of the text.
  void skip_byte_order_mark() {
    if (pos_ == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  void skip_space() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
      ++pos_;
    }
  }

  // Reads a string at pos (which is '"'); decodes the simple escapes, keeps \u raw.
  std::string read_string() {
    std::string out;
    ++pos_;
    while (!at_end()) {
      const char c = text_[pos_++];
      if (c == '"') break;
      if (c == '\\' && !at_end()) {
        const char e = text_[pos_++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u':
            out += "\\u";
            break;
          default:
            out += e;
        }
        continue;
      }
      out += c;
    }
    return out;
  }

  void skip_value() {
    skip_space();
    const char c = peek();
    if (c == '"') {
      read_string();
      return;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (!at_end()) {
        const char d = peek();
        if (d == '"') {
          read_string();
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return;
        }
      }
      return;
    }
    while (!at_end()) {
      const char d = peek();
      if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\n' || d == '\r' || d == '\t') {
        return;
      }
      ++pos_;
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// An object or array open in walk_pointers(), and the pointer of the value it is.
struct PointerFrame {
  bool object = false;
  bool expect_key = false;
  std::size_t index = 0;
  std::string pointer;
};

// After the '{' or '[' of the value whose pointer is `next_pointer`: its frame. In an array the
// first element's pointer is next.
void open_frame(char c, std::vector<PointerFrame>& stack, std::string& next_pointer) {
  PointerFrame frame;
  frame.object = c == '{';
  frame.expect_key = frame.object;
  frame.pointer = next_pointer;
  if (!frame.object) next_pointer = pointer_append(frame.pointer, std::size_t{0});
  stack.push_back(std::move(frame));
}

// After a ',': a key comes next in an object, the next element in an array.
void next_member(std::vector<PointerFrame>& stack, std::string& next_pointer) {
  if (stack.empty()) return;
  PointerFrame& top = stack.back();
  if (top.object) {
    top.expect_key = true;
  } else {
    next_pointer = pointer_append(top.pointer, ++top.index);
  }
}

bool expects_key(const std::vector<PointerFrame>& stack) {
  return !stack.empty() && stack.back().object && stack.back().expect_key;
}

// Reads the key at the walker (a '"') of the innermost object: the pointer of its value is next.
// Returns the key as written (escapes undecoded).
std::string_view read_key(std::string_view text, TextWalker& walker,
                          std::vector<PointerFrame>& stack, std::string& next_pointer) {
  PointerFrame& top = stack.back();
  const std::size_t start = walker.pos();
  const std::string key = walker.read_string();
  top.expect_key = false;
  next_pointer = pointer_append(top.pointer, key);
  return text.substr(start + 1, walker.pos() - start - 2);
}

// One forward pass over valid JSON `text` that knows the RFC 6901 pointer of every value: the
// single walker behind find_duplicate_keys(), locate_pointer() and locate_all(). The visitor's
//   bool value(const std::string& pointer, std::size_t offset)  at each value's first byte
//                                                              (a container before its members)
//   void open() / void close()                                 around each object and array
//   bool key(std::string_view written, const std::string& pointer)
//                                                              at each member key, as written
//                                                              (escapes undecoded) and the
//                                                              pointer of its value
// return false to stop the walk. Keys are decoded as TextWalker::read_string() does (\u
// escapes kept raw), so pointers match the ones the readers build for plain keys.
template <class Visitor>
void walk_pointers(std::string_view text, Visitor& visitor) {
  std::vector<PointerFrame> stack;
  std::string next_pointer;  // Of the value that starts next.
  TextWalker walker(text);
  walker.skip_byte_order_mark();
  for (;;) {
    walker.skip_space();
    if (walker.at_end()) return;
    const char c = walker.peek();
    if (c == '{' || c == '[') {
      if (!visitor.value(next_pointer, walker.pos())) return;
      walker.advance();
      open_frame(c, stack, next_pointer);
      visitor.open();
    } else if (c == '}' || c == ']') {
      walker.advance();
      if (!stack.empty()) {
        stack.pop_back();
        visitor.close();
      }
    } else if (c == ',') {
      walker.advance();
      next_member(stack, next_pointer);
    } else if (c == ':') {
      walker.advance();
    } else if (c == '"' && expects_key(stack)) {
      const std::string_view written = read_key(text, walker, stack, next_pointer);
      if (!visitor.key(written, next_pointer)) return;
    } else {
      if (!visitor.value(next_pointer, walker.pos())) return;
      walker.skip_value();
    }
  }
}

}  // namespace

std::vector<std::string> find_duplicate_keys(std::string_view text, std::size_t limit) {
  // The keys of each open object (and an unused entry per open array), as written; a hash set
  // takes over from the linear search once an object is large, so a hostile object with many
  // keys stays linear.
  struct Keys {
    std::vector<std::string_view> few;
    std::unordered_set<std::string_view> many;
    bool seen(std::string_view key) {
      if (few.size() < 16) {
        if (std::find(few.begin(), few.end(), key) != few.end()) return true;
        few.push_back(key);
        if (few.size() == 16) many.insert(few.begin(), few.end());
        return false;
      }
      return !many.insert(key).second;
    }
  };
  struct Visitor {
    std::vector<std::string> found;
    std::size_t limit = 0;
    std::vector<Keys> open_keys;
    bool value(const std::string&, std::size_t) { return true; }
    void open() { open_keys.emplace_back(); }
    void close() { open_keys.pop_back(); }
    bool key(std::string_view written, const std::string& pointer) {
      if (open_keys.back().seen(written)) found.push_back(pointer);
      return found.size() < limit;
    }
  };
  if (limit == 0) return {};
  Visitor visitor;
  visitor.limit = limit;
  walk_pointers(text, visitor);
  return std::move(visitor.found);
}

bool pointer_within(std::string_view pointer, std::string_view prefix) {
  if (pointer.substr(0, prefix.size()) != prefix) return false;
  return pointer.size() == prefix.size() || pointer[prefix.size()] == '/';
}

TextPosition locate_pointer(std::string_view text, std::string_view pointer) {
  struct Visitor {
    std::string_view wanted;
    std::optional<std::size_t> offset;
    bool value(const std::string& at, std::size_t start) {
      if (at != wanted) return true;
      offset = start;
      return false;
    }
    void open() {}
    void close() {}
    bool key(std::string_view, const std::string&) { return true; }
  };
  Visitor visitor{pointer, std::nullopt};
  walk_pointers(text, visitor);
  if (!visitor.offset) return {};
  return position_of_offset(text, *visitor.offset);
}

void locate_diagnostics(std::string_view text, std::vector<core::Diagnostic>& diagnostics,
                        std::size_t limit) {
  std::vector<core::Diagnostic*> pending;
  for (core::Diagnostic& diagnostic : diagnostics) {
    if (pending.size() >= limit) break;
    pending.push_back(&diagnostic);
  }
  locate_all(text, pending);
}

void locate_batch(std::string_view text, model::Batch& batch) {
  std::vector<core::Diagnostic*> pending;
  for (core::Diagnostic& diagnostic : batch.diagnostics) pending.push_back(&diagnostic);
  for (model::Claim& claim : batch.claims) {
    for (core::Diagnostic& diagnostic : claim.diagnostics) pending.push_back(&diagnostic);
  }
  locate_all(text, pending);
}

namespace {

// The line and column of each of `sorted` (distinct byte offsets into `text`, ascending), in one
// sweep.
std::unordered_map<std::size_t, TextPosition> positions_of_offsets(
    std::string_view text, const std::vector<std::size_t>& sorted) {
  std::unordered_map<std::size_t, TextPosition> positions;
  TextPosition position{1, 1};
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (const std::size_t offset : sorted) {
    for (; i < offset; ++i) {
      if (text[i] == '\n') {
        ++position.line;
        position.column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++position.column;
      }
    }
    positions.emplace(offset, position);
  }
  return positions;
}

}  // namespace

void locate_all(std::string_view text, const std::vector<core::Diagnostic*>& diagnostics) {
  constexpr std::size_t kUnseen = std::string_view::npos;
  // Each pointer, and its parent (a missing member points at the object that should hold it).
  struct Visitor {
    std::unordered_map<std::string, std::size_t> offsets;
    // The first occurrence of each wanted value, as locate_pointer() finds it.
    bool value(const std::string& pointer, std::size_t at) {
      const auto found = offsets.find(pointer);
      if (found != offsets.end() && found->second == kUnseen) found->second = at;
      return true;
    }
    void open() {}
    void close() {}
    bool key(std::string_view, const std::string&) { return true; }
  };
  Visitor visitor;
  std::unordered_map<std::string, std::size_t>& offsets = visitor.offsets;
  for (const core::Diagnostic* diagnostic : diagnostics) {
    const std::string& path = diagnostic->where.path;
    if (diagnostic->where.line != 0 || path.empty() || path.front() != '/') continue;
    offsets.emplace(path, kUnseen);
    offsets.emplace(path.substr(0, path.rfind('/')), kUnseen);
  }
  if (offsets.empty()) return;
  walk_pointers(text, visitor);
  // Offsets to line and column in one sweep.
  std::vector<std::size_t> sorted;
  for (const auto& [pointer, offset] : offsets) {
    if (offset != kUnseen) sorted.push_back(offset);
  }
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const std::unordered_map<std::size_t, TextPosition> positions =
      positions_of_offsets(text, sorted);
  for (core::Diagnostic* diagnostic : diagnostics) {
    const std::string& path = diagnostic->where.path;
    if (diagnostic->where.line != 0 || path.empty() || path.front() != '/') continue;
    std::size_t offset = offsets.at(path);
    if (offset == kUnseen) offset = offsets.at(path.substr(0, path.rfind('/')));
    if (offset == kUnseen) continue;
    diagnostic->where.line = positions.at(offset).line;
    diagnostic->where.column = positions.at(offset).column;
  }
}

std::optional<std::string> number_text(const boost::json::value& value) {
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  if (!value.is_double()) return std::nullopt;
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(),
                                    value.get_double(), std::chars_format::fixed);
  if (result.ec != std::errc()) {
    const auto general =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.get_double());
    return std::string(buffer.data(), general.ptr);
  }
  return std::string(buffer.data(), result.ptr);
}

std::optional<std::string> money_text(const boost::json::value& value) {
  if (value.is_int64()) return std::to_string(value.get_int64()) + ".00";
  if (value.is_uint64()) return std::to_string(value.get_uint64()) + ".00";
  if (!value.is_double()) return std::nullopt;
  const double amount = value.get_double();
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), amount,
                                    std::chars_format::fixed, 2);
  if (result.ec == std::errc()) {
    double back = 0;
    const auto parsed = std::from_chars(buffer.data(), result.ptr, back);
    if (parsed.ec == std::errc() && back == amount) return std::string(buffer.data(), result.ptr);
  }
  return number_text(value);
}

std::string_view type_word(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

}  // namespace claimaudit::formats::detail
