// formats/x12/claim_builder.hpp
//
// ClaimBuilder: turns the segments of one 837 transaction set (between ST and SE) into
// model::Claim values, one CLM at a time, as the segments stream past. It follows the HL tree
// (2000A billing provider -> 2000B subscriber -> 2000C patient) and the loops of the 5010 837P
// and 837I guides far enough to know which NM1/REF/DTP/SBR belongs to the claim and which to a
// nested loop (2310x providers, 2320/2330x other payers, 2420x line providers), and it records a
// model::Origin for every field it fills. Problems become diagnostics on the claim, or on the
// batch when a claim cannot be kept (no CLM01). Not thread-safe; one per reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "formats/reader.hpp"
#include "formats/x12/segment.hpp"
#include "model/claim.hpp"

namespace claimaudit::formats::x12 {

// The component separator an interchange really uses. ISA16 declares one; some senders write
// another in the body (DOMAIN.md 9.1). The first composite element that shows which one settles
// it for the rest of the interchange. `repetition` is ISA11 when usable (0 otherwise): no element
// the 837 guides read repeats, so a value holding it is read up to it (W-X12-REPETITION), unless
// the body turned out to use it as the component separator.
struct ComponentSeparator {
  char declared = ':';
  char effective = ':';
  bool settled = false;
  char repetition = 0;
};

// Envelope facts of the transaction set being built.
struct TransactionContext {
  std::string interchange_control;                           // ISA13.
  std::string group_control;                                 // GS06.
  std::string transaction_control;                           // ST02.
  std::string guide;                                         // ST03, else GS08.
  model::ClaimKind guide_kind = model::ClaimKind::kUnknown;  // From the guide id.
};

// The claim kind a 5010 guide id names: X222* professional, X223* institutional, else kUnknown.
model::ClaimKind kind_from_guide(std::string_view guide);

class ClaimBuilder {
 public:
  ClaimBuilder(std::string file_name, const ReadOptions& options);
  ClaimBuilder(const ClaimBuilder&) = delete;
  ClaimBuilder& operator=(const ClaimBuilder&) = delete;
  ~ClaimBuilder() = default;

  // Starts a transaction set. Claims and diagnostics are appended to `batch`, which must stay
  // alive (and not be touched by others) until end(). `separator` is the interchange's.
  void begin(const TransactionContext& context, model::Batch& batch, ComponentSeparator& separator);
  // One segment between ST and SE (exclusive), in order.
  void add(const Segment& segment);
  // Ends the transaction set: at SE, or at the end of input (`truncated`), when the last claim
  // may be incomplete and gets an error saying so.
  void end(bool truncated);

  // Empties `batch` (as BatchReader::next must), keeping the containers of its claims for reuse.
  void recycle(model::Batch& batch);

  // Claims kept so far in the whole file (the next claim's Envelope::position).
  int claims() const { return position_; }

 private:
  enum class Scope {
    kHeader,           // Before the first HL.
    kProvider,         // 2000A and its 2010Ax loops.
    kSubscriber,       // 2000B, 2010BA, 2010BB.
    kPatient,          // 2000C, 2010CA.
    kClaim,            // 2300.
    kClaimProvider,    // 2310x.
    kOtherSubscriber,  // 2320, 2330x.
    kLine,             // 2400.
    kLineNested,       // 2410, 2420x, 2430.
  };

  struct Demographics {
    core::Phi<std::string> last_name;
    core::Phi<std::string> first_name;
    core::Phi<std::optional<core::Date>> birth_date;
    core::Phi<char> sex;
    model::Origin origin;
  };
  struct ProviderLevel {
    bool present = false;
    std::string hl_id;
    bool has_name = false;  // NM1*85 seen.
    model::Provider provider;
  };
  struct SubscriberLevel {
    bool present = false;
    std::string hl_id;
    bool has_sbr = false;
    bool has_name = false;   // NM1*IL seen.
    bool has_payer = false;  // NM1*PR seen.
    // SBR02 (individual relationship code): 18 when the subscriber is the patient; the 5010
    // guides leave it empty otherwise (the patient is then in 2000C).
    std::string relationship;
    model::Origin relationship_origin;
    model::Payer payer;
    core::Phi<std::string> member_id;
    Demographics demographics;
  };
  struct PatientLevel {
    bool present = false;
    std::string hl_id;
    Demographics demographics;
  };

  model::Claim& claim() { return batch_->claims.back(); }
  model::Origin origin(const Segment& segment, int element, int component = 0) const;
  void claim_diagnostic(core::Severity severity, std::string_view code, const model::Origin& where,
                        std::string message);
  void batch_diagnostic(core::Severity severity, std::string_view code, const model::Origin& where,
                        std::string message);
  core::Diagnostic make_diagnostic(core::Severity severity, std::string_view code,
                                   const model::Origin& where, std::string message) const;

  // The composite elements that reveal the component separator in use (DOMAIN.md 9.1).
  void settle_separator(const Segment& segment, int element);
  // Element `element` up to its first repetition separator. None of the elements read with it
  // (CLM05, CLM11, HI01-HI12, SV101, SV107, SV202) repeats in the 5010 837 guides (max use 1):
  // the first repetition is read and the rest reported (W-X12-REPETITION).
  std::string_view single(const Segment& segment, int element);

  // Where a segment belongs when the guides' order places it elsewhere (W-X12-SEGMENT-ORDER):
  // a loop 2300 segment after the claim's 2310x, 2320/2330x or 2400 loops (HI, CL1, CR2, DTP
  // with a claim date qualifier such as 434, REF*F8 ...), a 2400 segment after its line's
  // 2410-2430 loops (DTP*472, PWK, NTE, an SV1/SV2 after an LX's 2420 NM1), or a claim segment
  // between an HL and its first CLM. Segments a later loop also carries (REF*G2 in 2310B,
  // DTP*573 and AMT in 2320/2330, NTE in 2400 ...) are in place.
  // A DMG (2010BA/2010CA demographics) after the CLM, outside 2320 (where 4010 senders still
  // put the other subscriber's), is kDemographics: whose it is cannot be told, not read.
  enum class Home { kInPlace, kClaim, kLine, kBeforeClaim, kDemographics };
  // `tag` is the segment's tag as tag_code() packs it, one of those order_checked() names.
  Home misplaced(const Segment& segment, std::uint32_t tag) const;
  // Steps of misplaced(): before the transaction set's first CLM; after it (by the loop the
  // segment arrives in); in a line or its nested loops. `claim_tag`: a loop 2300 segment the later
  // loops do not carry; `shared_tag`: one 2300 shares with 2400.
  Home home_before_claim(std::uint32_t tag, bool claim_tag, bool shared_tag) const;
  Home home_in_claim(std::uint32_t tag, std::string_view qualifier, bool claim_tag,
                     bool shared_tag) const;
  Home home_after_line(std::uint32_t tag, std::string_view qualifier, bool claim_tag) const;
  // W-X12-SEGMENT-ID: a segment id that is not 2-3 upper-case letters or digits (skipped).
  void report_segment_id(const Segment& segment);
  // A loop 2300 segment before one the guides put ahead of it (HI, then DTP): read, and
  // reported (W-X12-SEGMENT-ORDER).
  void check_claim_order(const Segment& segment, std::uint32_t tag);
  // A loop 2400 segment whose place `rank` comes before the line's latest one.
  void check_line_order(const Segment& segment, std::uint32_t tag, int rank);
  void report_misplaced(const Segment& segment, Home home);
  void dispatch(const Segment& segment, std::uint32_t tag);

  void on_hl(const Segment& segment);
  // Steps of on_hl(): HL01 counts 1, 2, 3 ...; the levels HL03 20, 22, 23 and any other.
  void check_hl_number(const Segment& segment, std::string_view id);
  void enter_provider_level(const Segment& segment, std::string_view id, std::string_view parent);
  void enter_subscriber_level(const Segment& segment, std::string_view id, std::string_view parent,
                              bool under_unknown);
  void enter_patient_level(const Segment& segment, std::string_view id, std::string_view parent,
                           bool under_unknown);
  void enter_unknown_level(const Segment& segment, std::string_view id, std::string_view parent,
                           std::string_view level);
  void on_nm1(const Segment& segment);
  // NM1 in the billing provider level (2010AA/AB/AC) and the subscriber level (2010BA/BB).
  void on_provider_nm1(const Segment& segment, std::string_view entity);
  void on_subscriber_nm1(const Segment& segment, std::string_view entity);
  void on_sbr(const Segment& segment);
  void on_dmg(const Segment& segment);
  void on_ref(const Segment& segment);
  void on_clm(const Segment& segment);
  // Steps of on_clm(): the per-claim state reset; the billing provider, payer, patient and
  // envelope from the levels above the claim (and what is missing there); CLM05; CLM11.
  void reset_claim_state();
  void take_levels(const Segment& segment, bool outside, model::Claim& c);
  void read_clm05(const Segment& segment, model::Claim& c);
  void read_clm11(const Segment& segment, model::Claim& c);
  void on_dtp(const Segment& segment);
  // E-X12-DATE for a DTP whose DTP02/DTP03 give no date `what` can use.
  void report_bad_date(const Segment& segment, std::string_view what);
  void read_statement_period(const Segment& segment);  // DTP*434.
  void read_claim_date(const Segment& segment);        // DTP*431, 439, 435.
  void on_hi(const Segment& segment);
  // HI element `i` is empty: whether a diagnosis follows it (false: only empty elements do), in
  // which case it keeps its position.
  bool hold_hi_position(const Segment& segment, int i, bool& gap_reported);
  // HI element `i` is a qualifier without a component separator: read with the element after
  // it when that is a bare code (returns 1, the elements consumed beyond `i`), else reported.
  int read_bare_hi_qualifier(const Segment& segment, int i, std::string_view value,
                             bool& split_reported);
  void on_lx(const Segment& segment);
  void on_sv1(const Segment& segment);
  // SV107 (`pointers`, not empty): the line's diagnosis pointers.
  void read_sv107(const Segment& segment, std::string_view pointers, model::ServiceLine& line);
  void on_sv2(const Segment& segment);
  void on_nte(const Segment& segment);
  void on_cl1(const Segment& segment);
  // One HI composite (C022): qualifier, code, date format, date, amount, present on admission.
  struct HiParts {
    std::string_view qualifier;
    std::string_view code;
    std::string_view format;  // C022-03.
    std::string_view date;    // C022-04.
    std::string_view amount;  // C022-05.
    std::string_view poa;     // C022-09.
  };
  void add_diagnosis(const Segment& segment, int element, const HiParts& parts, int code_component);
  // A qualifier of unknown family that is a known one in upper case: reported, and the
  // diagnosis added with it (true); false when upper case does not help either.
  bool add_with_folded_qualifier(const Segment& segment, int element, const HiParts& sent,
                                 int code_component);
  void read_present_on_admission(const Segment& segment, int element, std::string_view poa,
                                 model::Diagnosis& dx);
  // HI BH/BI/BE and the procedure qualifiers (BBR BBQ BR BQ CAH): kept with their dates and
  // amounts. `family` is the qualifier's (claim_builder.cpp classify()).
  void add_hi_event(const Segment& segment, int element, const HiParts& parts, int code_component,
                    int family);
  // C022-03/04 as one D8 date; reports what is missing or wrong (W-X12-DATE) and gives nullopt.
  std::optional<core::Date> hi_date(const Segment& segment, int element, const HiParts& parts,
                                    std::string_view what);
  std::optional<model::DateRange> hi_range(const Segment& segment, int element,
                                           const HiParts& parts, std::string_view what);
  // A new service line, for LX or for an SV1/SV2 that arrives without one.
  model::ServiceLine& start_line(const Segment& segment, int seq);
  // Gives the current line the claim-level DTP*472 when it has no date of its own.
  void date_line_from_claim();
  bool in_claim() const { return has_claim_; }
  void finish_claim(bool truncated);
  // Steps of finish_claim(): the claim kind (the content's, else the guide's or the default)
  // and CLM05-1 as facility type or place of service by it.
  void settle_kind(model::Claim& c);
  void settle_facility_code(model::Claim& c);
  // One principal diagnosis (later ones read as other diagnoses); 837P: HI01 principal, at
  // most 12 diagnoses. Diagnostics W-X12-PRINCIPAL, W-X12-DX-COUNT.
  void check_principal_and_count(model::Claim& c);
  // Steps of check_principal_and_count(): later principals read as other diagnoses (returns the
  // principal); the 837I-only qualifiers on an 837P; 837P HI01 principal, at most 12.
  const model::Diagnosis* keep_one_principal(model::Claim& c);
  void report_837i_diagnosis_qualifiers(const model::Claim& c);
  void check_professional_principal_and_count(const model::Claim& c,
                                              const model::Diagnosis* principal);
  // W-X12-MISSING-SEGMENT for what a finished claim lacks: HI, the 837I statement period, the
  // last 837P line's date, any line.
  void report_missing_segments(const model::Claim& c);
  // Line dates outside the statement period (W-X12-LINE-DATE).
  void check_line_dates(const model::Claim& c);
  // W-X12-HI-QUALIFIER for the 837I-only HI codes (BH BI BE, procedures) on an 837P claim.
  void report_institutional_codes(const model::Claim& c);
  // A reversed DTP*434 reported as E-X12-DATE becomes W-X12-DATE when every line is dated.
  void settle_reversed_statement(model::Claim& c);

  // Emptied containers of earlier claims (recycle()), handed to new claims.
  struct Spares {
    std::vector<std::vector<model::Diagnosis>> diagnoses;
    std::vector<std::vector<model::ServiceLine>> lines;
    std::vector<std::vector<std::string>> modifiers;
    std::vector<std::vector<int>> pointers;
  };
  template <class T>
  static void reuse(std::vector<std::vector<T>>& pool, std::vector<T>& target) {
    if (pool.empty() || target.capacity() != 0) return;
    target = std::move(pool.back());
    pool.pop_back();
  }

  std::string file_name_;
  ReadOptions options_;
  Spares spares_;
  TransactionContext context_;
  model::Batch* batch_ = nullptr;
  ComponentSeparator* separator_ = nullptr;
  char component_ = ':';

  Scope scope_ = Scope::kHeader;
  const char* loop_ = nullptr;
  std::uint64_t previous_hl_ = 0;      // HL01 of the previous HL (ids count 1, 2, 3 ...).
  bool hl_sequence_reported_ = false;  // HL warnings: once per transaction set.
  bool hl_parent_reported_ = false;
  ProviderLevel provider_;
  SubscriberLevel subscriber_;
  PatientLevel patient_;
  // The last HL whose level code (HL03) could not be read. A claim right under it (`open`)
  // takes nothing from the levels read before it but the billing provider (and that only when
  // it has a parent); a level naming it as parent takes nothing from the level it replaced.
  struct UnknownLevel {
    bool open = false;
    bool has_parent = false;
    std::string hl_id;
  };
  UnknownLevel unknown_;

  // The claim being built is batch_->claims.back() while has_claim_.
  bool has_claim_ = false;
  bool has_line_ = false;
  bool line_has_service_ = false;  // SV1/SV2 seen in the current line.
  bool line_has_date_ = false;
  bool line_number_reported_ = false;  // W-X12-LINE-NUMBER: once per claim.
  // A DTP*472 in loop 2300 (not in the 5010 guides; 4010 habit): the lines without their own.
  std::optional<model::DateRange> claim_service_dates_;
  // 1-based index in the claim's diagnostics of the E-X12-DATE of a reversed DTP*434; 0 = none.
  std::size_t reversed_statement_ = 0;
  bool has_hi_ = false;
  int claim_rank_ = 0;  // Position in the loop 2300 order of the latest claim segment read.
  int line_rank_ = 0;   // Position in the loop 2400 order of the latest line segment read.
  // HI diagnosis elements met in the claim, readable or not: a diagnosis's seq is its slot, so
  // an unreadable element does not shift the ones after it (837P SV107 points at HI01..HI12).
  int dx_slots_ = 0;
  bool has_sv1_ = false;
  bool has_sv2_ = false;
  bool has_cl1_ = false;
  bool has_statement_ = false;
  bool has_clm05_ = false;
  std::string facility_code_;  // CLM05-1 until the kind is known.
  // CLM05-2 when it is A or B (checked against the claim kind at the end), else empty.
  std::string facility_qualifier_;
  model::Origin facility_qualifier_origin_;
  int position_ = 0;
};

}  // namespace claimaudit::formats::x12
