#include "model/review.hpp"

#include <boost/test/unit_test.hpp>

namespace claimaudit::model {

BOOST_AUTO_TEST_SUITE(review)

BOOST_AUTO_TEST_CASE(status_words_round_trip) {
  for (auto status : {FindingStatus::kOpen, FindingStatus::kInReview, FindingStatus::kCorrected,
                      FindingStatus::kWaived, FindingStatus::kFalsePositive,
                      FindingStatus::kSuperseded, FindingStatus::kReopened}) {
    BOOST_TEST(to_string(*parse_finding_status(to_string(status))) == to_string(status));
  }
  BOOST_TEST(to_string(FindingStatus::kFalsePositive) == "false_positive");
  BOOST_TEST(!parse_finding_status("closed").has_value());
  BOOST_TEST(!parse_finding_status("").has_value());
}

BOOST_AUTO_TEST_CASE(reviewer_transitions_follow_domain_7_1) {
  using enum FindingStatus;
  const FindingStatus all[] = {kOpen,          kInReview,   kCorrected, kWaived,
                               kFalsePositive, kSuperseded, kReopened};
  // The allowed set, written out; everything else is refused.
  const std::pair<FindingStatus, FindingStatus> allowed[] = {
      {kOpen, kInReview},      {kReopened, kInReview},      {kInReview, kCorrected},
      {kInReview, kWaived},    {kInReview, kFalsePositive}, {kInReview, kOpen},
      {kCorrected, kReopened}, {kWaived, kReopened},        {kFalsePositive, kReopened},
  };
  int allowed_count = 0;
  for (auto from : all) {
    for (auto to : all) {
      bool expected = false;
      for (const auto& pair : allowed)
        expected = expected || (pair.first == from && pair.second == to);
      BOOST_TEST_CONTEXT(to_string(from) << " -> " << to_string(to)) {
        BOOST_TEST(reviewer_may_change(from, to) == expected);
      }
      allowed_count += reviewer_may_change(from, to) ? 1 : 0;
    }
  }
  BOOST_TEST(allowed_count == 9);
}

BOOST_AUTO_TEST_CASE(notes_and_closed) {
  BOOST_TEST(note_required(FindingStatus::kWaived));
  BOOST_TEST(note_required(FindingStatus::kFalsePositive));
  BOOST_TEST(!note_required(FindingStatus::kCorrected));
  BOOST_TEST(!note_required(FindingStatus::kReopened));
  BOOST_TEST(is_closed(FindingStatus::kSuperseded));
  BOOST_TEST(!is_closed(FindingStatus::kReopened));
  BOOST_TEST(to_string(*parse_waiver_scope("billing_provider")) == "billing_provider");
  BOOST_TEST(to_string(WaiverScope::kPayerKind) == "payer_kind");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::model
