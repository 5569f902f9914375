// The review writes and read-only queries of store/ (review.hpp, queries.hpp) on a real
// database with the daemon's schema.
#include <boost/test/unit_test.hpp>

#include "status/fixture.hpp"
#include "store/queries.hpp"
#include "store/review.hpp"

namespace claimaudit::store {
namespace {

using model::FindingStatus;
const core::Date kToday = core::Date::from_civil(2026, 11, 26);

struct Database {
  testing::TempDir dir;
  std::filesystem::path path = dir / "claimaudit.db";
  Database() { testing::create_database(path); }
};

StatusChange change(std::int64_t id, FindingStatus to, std::string note = "",
                    std::string user = "ana") {
  StatusChange c;
  c.finding_id = id;
  c.to = to;
  c.note = std::move(note);
  c.user = std::move(user);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review_store)

BOOST_AUTO_TEST_CASE(a_reviewer_works_a_finding_and_the_trail_records_it) {
  Database database;
  testing::Filler fill(database.path);
  const auto claim = fill.claim(fill.file("a.837"), "CLM-1");
  const auto id = fill.finding(claim, "dx.missing_precipitating_factor");
  Review review(database.path, ReviewOptions{});
  Queries queries(database.path);

  auto taken = review.change_status(change(id, FindingStatus::kInReview), "2026-11-26T11:00:00Z");
  BOOST_REQUIRE(taken.has_value());
  BOOST_TEST(taken->ok());
  auto record = queries.finding(id, kToday);
  BOOST_TEST(model::to_string((*record)->status) == "in_review");
  BOOST_TEST((*record)->assignee == "ana");
  BOOST_TEST((*record)->updated_at == "2026-11-26T11:00:00Z");

  auto closed =
      review.change_status(change(id, FindingStatus::kFalsePositive, "W18.49XA on line 2", "ben"),
                           "2026-11-26T11:05:00Z");
  BOOST_TEST(closed->ok());
  auto events = queries.events(id);
  BOOST_REQUIRE(events.has_value());
  BOOST_REQUIRE(events->size() == 2u);
  BOOST_TEST((*events)[0].user == "ana");
  BOOST_TEST(model::to_string(*(*events)[0].old_status) == "open");
  BOOST_TEST(model::to_string((*events)[0].new_status) == "in_review");
  BOOST_TEST((*events)[1].user == "ben");
  BOOST_TEST(model::to_string(*(*events)[1].old_status) == "in_review");
  BOOST_TEST(model::to_string((*events)[1].new_status) == "false_positive");
  BOOST_TEST((*events)[1].note == "W18.49XA on line 2");
  BOOST_TEST((*events)[1].at == "2026-11-26T11:05:00Z");
  // Closing keeps the assignee who took it.
  BOOST_TEST((*queries.finding(id, kToday))->assignee == "ana");
}

BOOST_AUTO_TEST_CASE(refusals_change_nothing) {
  Database database;
  testing::Filler fill(database.path);
  const auto claim = fill.claim(fill.file("a.837"), "CLM-1");
  const auto id = fill.finding(claim, "dx.stale_code");
  Review review(database.path, ReviewOptions{});
  Queries queries(database.path);
  struct Row {
    StatusChange change;
    ReviewRefusal refusal;
    std::string message;
  };
  StatusChange waived_no_note = change(id, FindingStatus::kWaived, "  ");
  StatusChange bad_reason = change(id, FindingStatus::kWaived, "ok");
  bad_reason.reason_code = "because";
  StatusChange stale = change(id, FindingStatus::kInReview);
  stale.expected_from = FindingStatus::kReopened;
  const Row rows[] = {
      {change(id, FindingStatus::kCorrected), ReviewRefusal::kIllegalTransition,
       "cannot change a finding from open to corrected"},
      {change(id, FindingStatus::kSuperseded), ReviewRefusal::kIllegalTransition,
       "cannot change a finding from open to superseded"},
      {change(id, FindingStatus::kOpen), ReviewRefusal::kIllegalTransition,
       "cannot change a finding from open to open"},
      {waived_no_note, ReviewRefusal::kNoteRequired, "a note is required to set waived"},
      {change(id, FindingStatus::kFalsePositive), ReviewRefusal::kNoteRequired,
       "a note is required to set false_positive"},
      {bad_reason, ReviewRefusal::kUnknownReason, "unknown reason code 'because'"},
      {stale, ReviewRefusal::kStale, "finding " + std::to_string(id) + " is now open"},
      {change(id + 100, FindingStatus::kInReview), ReviewRefusal::kNotFound,
       "no finding " + std::to_string(id + 100)},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row.message) {
      auto outcome = review.change_status(row.change, "2026-11-26T11:00:00Z");
      BOOST_REQUIRE(outcome.has_value());
      BOOST_TEST(static_cast<int>(outcome->refusal) == static_cast<int>(row.refusal));
      BOOST_TEST(outcome->message == row.message);
    }
  }
  BOOST_TEST(queries.events(id)->empty());
  BOOST_TEST(model::to_string((*queries.finding(id, kToday))->status) == "open");
}

BOOST_AUTO_TEST_CASE(waived_with_reason_code_and_reopen) {
  Database database;
  testing::Filler fill(database.path);
  const auto id = fill.finding(fill.claim(fill.file("a.837"), "CLM-1"), "dx.unspecified_site");
  Review review(database.path, ReviewOptions{});
  BOOST_TEST(review.change_status(change(id, FindingStatus::kInReview), "t1")->ok());
  auto waive = change(id, FindingStatus::kWaived, "payer accepts unspecified laterality");
  waive.reason_code = "payer_policy";
  BOOST_TEST(review.change_status(waive, "t2")->ok());
  BOOST_TEST(review.change_status(change(id, FindingStatus::kReopened, "", "cara"), "t3")->ok());
  BOOST_TEST(review.change_status(change(id, FindingStatus::kInReview, "", "cara"), "t4")->ok());
  Queries queries(database.path);
  const auto events = *queries.events(id);
  BOOST_REQUIRE(events.size() == 4u);
  BOOST_TEST(events[1].reason_code == "payer_policy");
  BOOST_TEST((*queries.finding(id, kToday))->assignee == "cara");
}

BOOST_AUTO_TEST_CASE(history_cannot_be_edited_or_deleted) {
  Database database;
  testing::Filler fill(database.path);
  const auto id = fill.finding(fill.claim(fill.file("a.837"), "CLM-1"), "dx.stale_code");
  Review review(database.path, ReviewOptions{});
  BOOST_TEST(review.change_status(change(id, FindingStatus::kInReview), "t1")->ok());
  BOOST_CHECK_THROW(fill.db().exec("UPDATE finding_events SET user = 'mallory'"),
                    SQLite::Exception);
  BOOST_CHECK_THROW(fill.db().exec("DELETE FROM finding_events"), SQLite::Exception);
  Queries queries(database.path);
  BOOST_TEST(queries.events(id)->at(0).user == "ana");
}

BOOST_AUTO_TEST_CASE(waivers_apply_by_scope_until_they_expire) {
  Database database;
  testing::Filler fill(database.path);
  const auto file = fill.file("a.837");
  const auto wc = fill.claim(file, "CLM-WC", "workers_comp");
  const auto mc = fill.claim(file, "CLM-MC", "medicare");
  const auto f_wc = fill.finding(wc, "dx.missing_precipitating_factor");
  const auto f_mc = fill.finding(mc, "dx.missing_precipitating_factor");
  const auto f_other = fill.finding(wc, "dx.stale_code");
  Review review(database.path, ReviewOptions{});
  model::Waiver waiver;
  waiver.rule_id = "dx.missing_precipitating_factor";
  waiver.scope = model::WaiverScope::kPayerKind;
  waiver.value = "workers_comp";
  waiver.owner = "compliance";
  waiver.reason = "state WC board accepts";
  waiver.expires = kToday;
  auto added = review.add_waiver(waiver, "ana", kToday, "t1");
  BOOST_REQUIRE(added->ok());
  Queries queries(database.path);
  BOOST_TEST((*queries.finding(f_wc, kToday))->waiver_id.value_or(0) == added->waiver.id);
  BOOST_TEST(!(*queries.finding(f_mc, kToday))->waiver_id.has_value());
  BOOST_TEST(!(*queries.finding(f_other, kToday))->waiver_id.has_value());
  // Waived findings stay recorded; the work queue can leave them out.
  model::FindingFilter queue;
  queue.include_waived = false;
  const auto page = *queries.findings(queue, kToday);
  BOOST_TEST(page.findings.size() == 2u);
  BOOST_TEST(queries.findings(model::FindingFilter{}, kToday)->findings.size() == 3u);
  // The day after expiry it stops applying and shows as expired.
  const auto tomorrow = kToday.next_day();
  BOOST_TEST(!(*queries.finding(f_wc, tomorrow))->waiver_id.has_value());
  BOOST_TEST(queries.waivers(tomorrow)->at(0).expired);
  BOOST_TEST(!queries.waivers(kToday)->at(0).expired);
  // Bad waivers are refused.
  auto past = waiver;
  past.expires = kToday.previous_day();
  BOOST_TEST(review.add_waiver(past, "ana", kToday, "t")->message ==
             "the expiry date 2026-11-25 is in the past");
  auto bad_kind = waiver;
  bad_kind.value = "dental";
  BOOST_TEST(review.add_waiver(bad_kind, "ana", kToday, "t")->message ==
             "unknown payer kind 'dental'");
  BOOST_CHECK_THROW(fill.db().exec("DELETE FROM waivers"), SQLite::Exception);
}

BOOST_AUTO_TEST_CASE(filters_and_cursor_paging) {
  Database database;
  testing::Filler fill(database.path);
  const auto file = fill.file("a.837");
  const auto other_file = fill.file("b.837");
  for (int i = 0; i < 25; ++i) {
    const auto claim = fill.claim(i < 20 ? file : other_file, "CLM-" + std::to_string(i),
                                  i % 2 == 0 ? "medicare" : "commercial",
                                  i % 5 == 0 ? "institutional" : "professional",
                                  i < 10 ? "2024-08-15" : "2025-01-10");
    fill.finding(claim, i % 3 == 0 ? "dx.stale_code" : "dx.unspecified_site",
                 i % 4 == 0 ? "error" : "warning", "M545", i == 24 ? "shadow" : "enforce");
  }
  Queries queries(database.path);
  model::FindingFilter filter;
  filter.limit = 10;
  std::vector<std::int64_t> seen;
  for (;;) {
    const auto page = *queries.findings(filter, kToday);
    for (const auto& f : page.findings) seen.push_back(f.id);
    if (page.next_after_id == 0) break;
    filter.after_id = page.next_after_id;
  }
  BOOST_TEST(seen.size() == 24u);  // The shadow finding is left out by default.
  for (std::size_t i = 1; i < seen.size(); ++i) BOOST_TEST(seen[i] > seen[i - 1]);

  auto count = [&](model::FindingFilter f) {
    f.limit = 0;
    return queries.findings(f, kToday)->findings.size();
  };
  model::FindingFilter f;
  f.include_shadow = true;
  BOOST_TEST(count(f) == 25u);
  f = {};
  f.rule_ids = {"dx.stale_code"};
  BOOST_TEST(count(f) == 8u);  // 0,3,...,21 (24 is shadow).
  f = {};
  f.severities = {model::FindingSeverity::kError};
  BOOST_TEST(count(f) == 6u);  // 0,4,...,20 (24 is shadow).
  f = {};
  f.payer_kinds = {model::PayerKind::kMedicare};
  BOOST_TEST(count(f) == 12u);
  f = {};
  f.claim_kinds = {model::ClaimKind::kInstitutional};
  BOOST_TEST(count(f) == 5u);
  f = {};
  f.from = core::Date::from_civil(2025, 1, 1);
  BOOST_TEST(count(f) == 14u);
  f.to = core::Date::from_civil(2025, 1, 9);
  BOOST_TEST(count(f) == 0u);
  f = {};
  f.file = "b.837";
  BOOST_TEST(count(f) == 4u);
  f = {};
  f.claim_id = "CLM-7";
  BOOST_TEST(count(f) == 1u);
  f = {};
  f.statuses = {FindingStatus::kWaived};
  BOOST_TEST(count(f) == 0u);

  const auto totals = *queries.totals(kToday);
  BOOST_TEST(totals.files == 2);
  BOOST_TEST(totals.claims == 25);
  BOOST_TEST(totals.findings == 25);
  BOOST_TEST(totals.findings_open == 24);
  const auto rules = *queries.rule_counts(kToday);
  BOOST_REQUIRE(rules.size() == 2u);
  BOOST_TEST(rules[0].rule_id == "dx.stale_code");
  BOOST_TEST(rules[0].fired == 9);
  BOOST_TEST(rules[0].shadow == 1);
  BOOST_TEST(rules[1].fired == 16);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::store
