#include "formats/location.hpp"

namespace claimaudit::formats {

std::string render_element(std::string_view tag, int element, int component) {
  std::string out(tag);
  if (element <= 0) return out;
  if (element < 10) out += '0';
  out += std::to_string(element);
  if (component > 0) {
    out += '-';
    out += std::to_string(component);
  }
  return out;
}

std::string render_origin(const model::Origin& origin, std::string_view st_control) {
  if (!origin.pointer.empty()) return origin.pointer;
  if (origin.segment == 0) return {};
  const std::string_view tag(origin.tag.data());
  std::string out = "ST ";
  out += st_control;
  out += ", segment ";
  out += std::to_string(origin.segment);
  if (!tag.empty()) {
    out += ' ';
    out += tag;
  }
  if (origin.element > 0) {
    out += ", ";
    out += render_element(tag, origin.element, origin.component);
  }
  if (origin.repetition > 0) {
    out += " repetition ";
    out += std::to_string(origin.repetition);
  }
  if (origin.loop != nullptr) {
    out += " (loop ";
    out += origin.loop;
    out += ')';
  }
  return out;
}

}  // namespace claimaudit::formats
