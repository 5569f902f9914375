#include "formats/x12/x12_reader.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "formats/location.hpp"
#include "formats/x12/claim_builder.hpp"
#include "formats/x12/segment.hpp"
#include "formats/x12/segment_scanner.hpp"

namespace claimaudit::formats::x12 {
namespace {

using core::Severity;

// Envelope paths for segments outside a transaction set: "ISA 000000905, IEA02", "GS 1, GE01".
std::string envelope_path(std::string_view scope, std::string_view control, std::string_view tag,
                          int element) {
  std::string out(scope);
  if (!control.empty()) {
    out += ' ';
    out += control;
  }
  if (!tag.empty()) {
    if (!out.empty()) out += ", ";
    out += render_element(tag, element);
  }
  return out;
}

// Printable, bounded copy of an envelope value for messages (control numbers, guide ids).
std::string shown(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 20)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

// Counts (SE01, GE01, IEA01) and the group and interchange control numbers (GS06/GE02,
// ISA13/IEA02) are numeric (N0) elements: "01" and "1" are the same value. Anything that is
// not all digits compares as text.
bool same_number(std::string_view a, std::string_view b) {
  auto digits = [](std::string_view v) {
    return !v.empty() &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(a) || !digits(b)) return a == b;
  auto trimmed = [](std::string_view v) {
    const std::size_t first = v.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view("0") : v.substr(first);
  };
  return trimmed(a) == trimmed(b);
}

class X12Reader final : public BatchReader {
 public:
  X12Reader(ByteSource& source, std::string file_name, const ReadOptions& options)
      : scanner_(source), builder_(file_name, options), file_name_(std::move(file_name)) {
    summary_.format = Format::kX12;
  }

  bool next(model::Batch& batch) override;
  const FileSummary& summary() const override { return summary_; }

 private:
  core::Diagnostic diagnostic(Severity severity, std::string_view code, std::string path,
                              std::string message) const {
    core::Diagnostic d;
    d.severity = severity;
    d.code = std::string(code);
    d.where.file = file_name_;
    d.where.path = std::move(path);
    d.message = std::move(message);
    return d;
  }
  // Where envelope diagnostics go: the batch being built, else the pending list that the next
  // batch carries.
  std::vector<core::Diagnostic>& target() {
    return current_ != nullptr ? current_->diagnostics : pending_;
  }
  void report(Severity severity, std::string_view code, std::string path, std::string message) {
    core::Diagnostic d = diagnostic(severity, code, std::move(path), std::move(message));
    if (severity == Severity::kError && !first_error_ && is_unauditable(code)) first_error_ = d;
    target().push_back(std::move(d));
  }
  static bool is_unauditable(std::string_view code) {
    return code == "E-X12-WRONG-TYPE" || code == "E-X12-UNSUPPORTED-VERSION" ||
           code == "E-X12-ENCODING" || code == "E-X12-NO-ISA" || code == "E-X12-ISA-LENGTH" ||
           code == "E-X12-DELIMITERS" || code == "E-X12-TRUNCATED" || code == "E-X12-CLAIM-ID" ||
           code == "E-X12-SEGMENT-LENGTH";
  }
  // Where an envelope segment out of its place is: "byte 1337, GS".
  std::string loose_path(std::string_view tag) const {
    return "byte " + std::to_string(segment_.offset()) + ", " + std::string(tag);
  }
  std::string st_path(int element) const {
    model::Origin o;
    o.segment = static_cast<std::uint32_t>(segment_count_);
    o.element = static_cast<std::uint16_t>(element);
    const std::string_view tag = segment_.tag();
    for (std::size_t i = 0; i < tag.size() && i < 3; ++i) o.tag[i] = tag[i];
    return render_origin(o, st_control_);
  }

  void on_isa();
  void on_gs();
  void on_ge();
  void on_iea();
  void on_st();
  void on_se();
  // Closes an open transaction set that has no SE (`why`: "GE", "end of input").
  void close_transaction(std::string_view why, bool truncated);
  void finish();

  // The steps of next(). After SE or at the end of input: true when the batch holds claims; a
  // transaction set that kept no claim hands its diagnostics to the next batch.
  bool settle(model::Batch& batch);
  void report_scan_error(const ScanError& error);
  // A segment while a transaction set is open: SE closes it, a segment of its body goes to the
  // builder (true for both), an envelope segment closes it without SE (false: next() reads it).
  bool read_in_transaction(const RawSegment& raw, std::string_view tag, model::Batch& batch,
                           bool& have_batch);
  // A segment outside a transaction set: an envelope segment, else one that is skipped.
  void read_envelope(const RawSegment& raw, std::string_view tag, model::Batch& batch);
  void begin_transaction(model::Batch& batch);
  // next() returns a batch of claims, after the diagnostics that were waiting for one.
  bool hand_over(model::Batch& batch);
  // next() at the end of input without claims: the diagnostics after the last claim-bearing ST
  // in a final batch, or the reason a file without claims is rejected.
  bool end_of_input(model::Batch& batch);

  SegmentScanner scanner_;
  ClaimBuilder builder_;
  std::string file_name_;
  FileSummary summary_;
  Segment segment_;
  model::Batch* current_ = nullptr;  // The caller's batch while an ST is being built.
  std::vector<core::Diagnostic> pending_;
  std::optional<core::Diagnostic> first_error_;
  bool done_ = false;
  bool any_segment_ = false;

  // Envelope state.
  bool in_interchange_ = false;
  bool in_group_ = false;
  bool in_transaction_ = false;
  bool skipping_transaction_ = false;  // ST we cannot read (not 837, not 5010): up to its SE.
  std::string isa13_;
  std::string isa12_;
  std::string gs06_;
  std::string gs08_;
  std::string guide_;  // ST03, else GS08, of the transaction set being read.
  int groups_in_interchange_ = 0;
  int sets_in_group_ = 0;
  std::string st_control_;
  int segment_count_ = 0;
  ComponentSeparator separator_;
};

void X12Reader::on_isa() {
  if (in_transaction_) close_transaction("ISA", false);
  if (in_interchange_) {
    report(Severity::kWarning, "W-X12-MISSING-TRAILER", envelope_path("ISA", isa13_, "", 0),
           "interchange " + isa13_ + " has no IEA before the next ISA");
  }
  in_interchange_ = true;
  in_group_ = false;
  groups_in_interchange_ = 0;
  isa12_ = std::string(segment_.element(12));
  isa13_ = shown(segment_.element(13));
  const Delimiters& delimiters = scanner_.delimiters();
  separator_ = {};
  separator_.declared = delimiters.component;
  separator_.effective = delimiters.component;
  separator_.repetition = delimiters.repetition;
  if (scanner_.unusable_repetition() != 0) {
    const char c = scanner_.unusable_repetition();
    const std::string shown_char = (c >= 0x21 && c < 0x7f) ? std::string(1, c) : std::string("?");
    report(Severity::kWarning, "W-X12-REPETITION-SEPARATOR",
           envelope_path("ISA", isa13_, "ISA", 11),
           "ISA11 '" + shown_char +
               "' is not a repetition separator (the 4010 convention, or a character equal to "
               "another delimiter): the interchange is read without one");
  }
}

void X12Reader::on_gs() {
  if (in_transaction_) close_transaction("GS", false);
  if (!in_interchange_) {
    report(Severity::kWarning, "W-X12-UNEXPECTED-SEGMENT", loose_path("GS"),
           "GS outside an interchange (no ISA before it)");
  }
  if (in_group_) {
    report(Severity::kWarning, "W-X12-MISSING-TRAILER", envelope_path("GS", gs06_, "", 0),
           "functional group " + gs06_ + " has no GE before the next GS");
  }
  in_group_ = true;
  ++groups_in_interchange_;
  sets_in_group_ = 0;
  gs06_ = shown(segment_.element(6));
  gs08_ = std::string(segment_.element(8));
}

void X12Reader::on_ge() {
  if (in_transaction_) close_transaction("GE", false);
  if (!in_group_) {
    report(Severity::kWarning, "W-X12-UNEXPECTED-SEGMENT", loose_path("GE"), "GE without a GS");
    return;
  }
  in_group_ = false;
  const std::string_view count = segment_.element(1);
  if (!same_number(count, std::to_string(sets_in_group_))) {
    report(Severity::kWarning, "W-X12-GE-COUNT", envelope_path("GS", gs06_, "GE", 1),
           "GE01 says " + shown(count) + " transaction sets, the group has " +
               std::to_string(sets_in_group_));
  }
  if (!same_number(segment_.element(2), gs06_)) {
    report(Severity::kWarning, "W-X12-GE-CONTROL", envelope_path("GS", gs06_, "GE", 2),
           "GE02 '" + shown(segment_.element(2)) + "' differs from GS06 '" + gs06_ + "'");
  }
}

void X12Reader::on_iea() {
  if (in_transaction_) close_transaction("IEA", false);
  if (in_group_) {
    report(Severity::kWarning, "W-X12-MISSING-TRAILER", envelope_path("GS", gs06_, "", 0),
           "functional group " + gs06_ + " has no GE before IEA");
    in_group_ = false;
  }
  if (!in_interchange_) {
    report(Severity::kWarning, "W-X12-UNEXPECTED-SEGMENT", loose_path("IEA"), "IEA without an ISA");
    return;
  }
  in_interchange_ = false;
  const std::string_view count = segment_.element(1);
  if (!same_number(count, std::to_string(groups_in_interchange_))) {
    report(Severity::kWarning, "W-X12-IEA-COUNT", envelope_path("ISA", isa13_, "IEA", 1),
           "IEA01 says " + shown(count) + " functional groups, the interchange has " +
               std::to_string(groups_in_interchange_));
  }
  if (!same_number(segment_.element(2), isa13_)) {
    report(Severity::kWarning, "W-X12-IEA-CONTROL", envelope_path("ISA", isa13_, "IEA", 2),
           "IEA02 '" + shown(segment_.element(2)) + "' differs from ISA13 '" + isa13_ + "'");
  }
}

void X12Reader::on_st() {
  if (!in_group_) {
    report(Severity::kWarning, "W-X12-UNEXPECTED-SEGMENT", loose_path("ST"),
           "ST outside a functional group (no GS before it)");
  }
  in_transaction_ = true;
  skipping_transaction_ = true;
  ++sets_in_group_;
  segment_count_ = 1;
  st_control_ = shown(segment_.element(2));
  const std::string_view type = segment_.element(1);
  if (type != "837") {
    report(Severity::kError, "E-X12-WRONG-TYPE", st_path(1),
           "wrong transaction type: ST01 is '" + shown(type) +
               (type == "999" ? "' (an implementation acknowledgment)" : "'") +
               ", not 837 (health care claim)");
    return;
  }
  const std::string_view st03 = segment_.element(3);
  const std::string guide = st03.empty() ? gs08_ : std::string(st03);
  const bool is_5010 = guide.substr(0, 6) == "005010";
  if (!is_5010) {
    const bool from_st = !st03.empty();
    std::string message = std::string(from_st ? "ST03" : "GS08") + " '" + shown(guide) + "'";
    if (guide.substr(0, 6) == "004010") {
      message += " is a 4010 guide";
    } else {
      message += " is not a 5010 guide";
    }
    if (isa12_ != "00501") message += " (ISA12 '" + shown(isa12_) + "')";
    message +=
        ": unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read";
    report(Severity::kError, "E-X12-UNSUPPORTED-VERSION",
           from_st ? st_path(3) : envelope_path("GS", gs06_, "GS", 8), std::move(message));
    return;
  }
  const model::ClaimKind kind = kind_from_guide(guide);
  if (guide.size() > 6 && kind == model::ClaimKind::kUnknown) {
    report(Severity::kError, "E-X12-UNSUPPORTED-VERSION", st_path(st03.empty() ? 0 : 3),
           "guide '" + shown(guide) +
               "' is not an 837P (005010X222...) or 837I (005010X223...) guide");
    return;
  }
  if (isa12_ != "00501") {
    report(Severity::kWarning, "W-X12-ISA-VERSION", envelope_path("ISA", isa13_, "ISA", 12),
           "ISA12 '" + shown(isa12_) + "' is not 00501, but the guide " + shown(guide) +
               " is 5010; read as 5010");
  }
  if (!st03.empty() && !gs08_.empty() && gs08_ != guide) {
    const model::ClaimKind group_kind = kind_from_guide(gs08_);
    if (group_kind != kind) {
      report(Severity::kWarning, "W-X12-GUIDE-MISMATCH", st_path(3),
             "GS08 '" + shown(gs08_) + "' and ST03 '" + shown(guide) +
                 "' name different claim types; ST03 and the claim content decide");
    }
  }
  skipping_transaction_ = false;
  guide_ = guide;
}

void X12Reader::on_se() {
  ++segment_count_;
  if (!skipping_transaction_) builder_.end(false);
  const std::string_view count = segment_.element(1);
  if (!same_number(count, std::to_string(segment_count_))) {
    report(Severity::kWarning, "W-X12-SE-COUNT", st_path(1),
           "SE01 says " + shown(count) + " segments, the transaction set has " +
               std::to_string(segment_count_) + " (ST to SE inclusive)");
  }
  if (segment_.element(2) != st_control_) {
    report(Severity::kWarning, "W-X12-SE-CONTROL", st_path(2),
           "SE02 '" + shown(segment_.element(2)) + "' differs from ST02 '" + st_control_ + "'");
  }
  in_transaction_ = false;
}

void X12Reader::close_transaction(std::string_view why, bool truncated) {
  if (!skipping_transaction_) builder_.end(truncated);
  if (truncated) {
    report(Severity::kError, "E-X12-TRUNCATED", "ST " + st_control_,
           "the input ends inside transaction set " + st_control_ + " (no SE)");
  } else {
    report(Severity::kError, "E-X12-MISSING-SE", "ST " + st_control_,
           "transaction set " + st_control_ + " has no SE before " + std::string(why));
  }
  in_transaction_ = false;
}

void X12Reader::finish() {
  // Input that ends inside a transaction set lacks its GE and IEA because it ends there:
  // E-X12-TRUNCATED says so, and missing-trailer warnings would only repeat it.
  const bool truncated = in_transaction_;
  if (truncated) close_transaction("the end of input", true);
  if (truncated) {
    in_group_ = false;
    in_interchange_ = false;
  }
  if (in_group_) {
    report(Severity::kWarning, "W-X12-MISSING-TRAILER", envelope_path("GS", gs06_, "", 0),
           "functional group " + gs06_ + " has no GE");
    in_group_ = false;
  }
  if (in_interchange_) {
    report(Severity::kWarning, "W-X12-MISSING-TRAILER", envelope_path("ISA", isa13_, "", 0),
           "interchange " + isa13_ + " has no IEA");
    in_interchange_ = false;
  }
}

bool X12Reader::settle(model::Batch& batch) {
  if (current_ == nullptr) return false;
  if (!batch.claims.empty()) return true;
  for (auto& d : batch.diagnostics) {
    // A claim the builder dropped (E-X12-CLAIM-ID) is the reason when no claim is left; it
    // was "no transaction set holds a CLM segment", which the file contradicts.
    if (d.severity == Severity::kError && !first_error_ && is_unauditable(d.code)) {
      first_error_ = d;
    }
    pending_.push_back(std::move(d));
  }
  batch.diagnostics.clear();
  current_ = nullptr;
  return false;
}

void X12Reader::report_scan_error(const ScanError& error) {
  if (in_transaction_ && error.code == "E-X12-SEGMENT-LENGTH") ++segment_count_;
  report(Severity::kError, error.code,
         error.path.empty() ? "byte " + std::to_string(error.offset) : error.path, error.message);
}

[[gnu::always_inline]] inline bool X12Reader::read_in_transaction(const RawSegment& raw,
                                                                  std::string_view tag,
                                                                  model::Batch& batch,
                                                                  bool& have_batch) {
  if (tag == "SE") {
    on_se();
    if (settle(batch)) have_batch = true;
    return true;
  }
  if (!raw.isa && tag != "ST" && tag != "GE" && tag != "IEA" && tag != "GS") {
    ++segment_count_;
    if (!skipping_transaction_) {
      segment_.set_index(static_cast<std::uint32_t>(segment_count_));
      builder_.add(segment_);
    }
    return true;
  }
  // An envelope segment inside a transaction set: its SE is missing.
  close_transaction(raw.isa ? std::string_view("ISA") : tag, false);
  if (settle(batch)) have_batch = true;
  return false;
}

void X12Reader::read_envelope(const RawSegment& raw, std::string_view tag, model::Batch& batch) {
  if (raw.isa) {
    on_isa();
  } else if (tag == "ST") {
    on_st();
    if (!skipping_transaction_) begin_transaction(batch);
  } else if (tag == "GS") {
    on_gs();
  } else if (tag == "GE") {
    on_ge();
  } else if (tag == "IEA") {
    on_iea();
  } else {
    std::string shown_tag;
    for (char c : tag.substr(0, 3)) {
      if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) shown_tag += c;
    }
    report(Severity::kWarning, "W-X12-UNEXPECTED-SEGMENT", "byte " + std::to_string(raw.offset),
           "segment " + (shown_tag.empty() ? std::string("without an id") : shown_tag) +
               " outside a transaction set (ST..SE); skipped");
  }
}

void X12Reader::begin_transaction(model::Batch& batch) {
  current_ = &batch;
  TransactionContext context;
  context.interchange_control = isa13_;
  context.group_control = gs06_;
  context.transaction_control = st_control_;
  context.guide = guide_;
  context.guide_kind = kind_from_guide(guide_);
  builder_.begin(context, batch, separator_);
}

bool X12Reader::hand_over(model::Batch& batch) {
  if (!pending_.empty()) {
    batch.diagnostics.insert(batch.diagnostics.begin(), std::make_move_iterator(pending_.begin()),
                             std::make_move_iterator(pending_.end()));
    pending_.clear();
  }
  summary_.claims += static_cast<int>(batch.claims.size());
  ++summary_.batches;
  return true;
}

bool X12Reader::end_of_input(model::Batch& batch) {
  if (summary_.claims > 0) {
    if (pending_.empty()) return false;
    // Diagnostics after the last claim-bearing ST travel in a final batch of their own.
    batch.diagnostics = std::move(pending_);
    pending_.clear();
    ++summary_.batches;
    return true;
  }
  // Nothing auditable: one reason.
  pending_.clear();
  if (first_error_) {
    summary_.rejection = first_error_;
  } else if (!any_segment_) {
    summary_.rejection =
        diagnostic(Severity::kError, "E-X12-EMPTY", "", "the file holds no X12 segments");
  } else {
    summary_.rejection = diagnostic(Severity::kError, "E-X12-NO-CLAIMS", "",
                                    "no claims: no transaction set holds a CLM segment");
  }
  return false;
}

bool X12Reader::next(model::Batch& batch) {
  builder_.recycle(batch);
  if (done_) return false;
  current_ = nullptr;
  bool have_batch = false;
  for (;;) {
    RawSegment raw;
    ScanError error;
    const SegmentScanner::Status status = scanner_.next(raw, error);
    if (status == SegmentScanner::Status::kError) {
      report_scan_error(error);
      continue;
    }
    if (status == SegmentScanner::Status::kEnd) {
      if (in_transaction_ && !skipping_transaction_) current_ = &batch;
      finish();
      if (settle(batch)) have_batch = true;
      done_ = true;
      break;
    }
    any_segment_ = true;
    segment_.assign(raw.text, raw.offset, 0, scanner_.delimiters().element);
    const std::string_view tag = segment_.tag();
    if (in_transaction_ && read_in_transaction(raw, tag, batch, have_batch)) continue;
    if ((raw.isa || tag == "ST" || tag == "GS") && have_batch) {
      // The next transaction set belongs to the next call.
      scanner_.push_back();
      break;
    }
    read_envelope(raw, tag, batch);
  }
  current_ = nullptr;
  if (have_batch) return hand_over(batch);
  if (!done_) return false;  // Not reached: the loop only breaks with a batch or at the end.
  return end_of_input(batch);
}

}  // namespace

std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options) {
  return std::make_unique<X12Reader>(source, std::move(file_name), options);
}

}  // namespace claimaudit::formats::x12
