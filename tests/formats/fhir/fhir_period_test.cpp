// FHIR R4 Period semantics for the dates an audit runs on: a Period without an end is ongoing
// (or its end not known), one without a start began at a time not known. billablePeriod and
// servicedPeriod with one end were read as one day, inventing the other end (an inpatient
// claim's code-set date is the end of its statement period); now they are no date range, with
// W-FHIR-PERIOD, and the dates of service come from what the items actually say. An onset
// timingPeriod without an end still gives its start.
#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "support/read_text.hpp"

namespace claimaudit::testing {
namespace {

// A bare professional Claim; `period` is the billablePeriod member (or nothing), `items` the
// item array, `extra` more members.
std::string claim_text(const std::string& period, const std::string& items,
                       const std::string& type = "professional", const std::string& extra = "") {
  return R"({"resourceType": "Claim", "id": "c1",
"identifier": [{"system": "urn:x", "value": "CLM-P"}], "status": "active",
"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": ")" +
         type + R"("}]},
"use": "claim", "patient": {"reference": "Patient/1"}, "created": "2024-09-01",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/1"}}],
)" + period +
         extra +
         R"(
"diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}}],
"item": )" +
         items + "}";
}

const std::string kTwoItems =
    R"([{"sequence": 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedDate": "2024-08-15"},
 {"sequence": 2, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97110"}]}}])";

std::string dates(const std::vector<core::Date>& list) {
  std::string out;
  for (const auto& date : list) out += (out.empty() ? "" : " ") + date.iso();
  return out;
}

std::string period_warnings(const model::Claim& claim) {
  std::string out;
  for (const auto& d : claim.diagnostics) {
    if (d.code != "W-FHIR-PERIOD") continue;
    if (!out.empty()) out += '\n';
    out += d.where.path + ": " + d.message;
  }
  return out;
}

struct Row {
  const char* name;
  std::string period;     // The billablePeriod member.
  const char* statement;  // Statement period read, or "-".
  const char* service;    // model::service_dates().
  std::string warning;    // The W-FHIR-PERIOD, or "".
};

std::ostream& operator<<(std::ostream& out, const Row& row) { return out << row.name; }

const std::string kNoEndYet =
    "/billablePeriod: billablePeriod starts 2024-08-14 and has no end: a FHIR Period without an "
    "end is ongoing or its end is not known, so it is not read as a date range (its end would be "
    "invented); dates of service come from the items' servicedDate and servicedPeriod";

const Row kRows[] = {
    {"both ends", R"("billablePeriod": {"start": "2024-08-14", "end": "2024-08-16"},)",
     "2024-08-14..2024-08-16", "2024-08-15", ""},
    // Was 2024-08-14..2024-08-14: an inpatient claim was dated 2024-08-14 (an invented end).
    {"start only", R"("billablePeriod": {"start": "2024-08-14"},)", "-", "2024-08-15", kNoEndYet},
    {"start, null end", R"("billablePeriod": {"start": "2024-08-14", "end": null},)", "-",
     "2024-08-15", kNoEndYet},
    {"end only", R"("billablePeriod": {"end": "2024-08-16"},)", "-", "2024-08-15",
     "/billablePeriod: billablePeriod ends 2024-08-16 and has no start: a FHIR Period without a "
     "start began at a time not known, so it is not read as a date range (its start would be "
     "invented); dates of service come from the items' servicedDate and servicedPeriod"},
    {"empty", R"("billablePeriod": {},)", "-", "2024-08-15",
     "/billablePeriod: billablePeriod has neither start nor end; no date read; dates of service "
     "come from the items' servicedDate and servicedPeriod"},
    {"absent", "", "-", "2024-08-15", ""},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_period)

BOOST_DATA_TEST_CASE(billable_period_ends, boost::unit_test::data::make(kRows), row) {
  const ReadText read = read_text(claim_text(row.period, kTwoItems), "p.json");
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  const std::string statement = claim.statement_period ? claim.statement_period->from.iso() + ".." +
                                                             claim.statement_period->to.iso()
                                                       : "-";
  BOOST_TEST(statement == row.statement);
  BOOST_TEST(dates(model::service_dates(claim)) == row.service);
  BOOST_TEST(period_warnings(claim) == row.warning);
}

// An inpatient Claim whose items carry no dates and whose billablePeriod has no end: there is
// no date of service to audit on (the rules report the claim), rather than an invented one.
BOOST_AUTO_TEST_CASE(no_known_date_gives_none) {
  const std::string items =
      R"([{"sequence": 1, "revenue": {"coding": [{"code": "0120"}]}, "productOrService": {"coding": [{"code": "0120"}]}}])";
  const ReadText read =
      read_text(claim_text(R"("billablePeriod": {"start": "2024-08-14"},)", items, "institutional"),
                "i.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(!read.claims[0].statement_period.has_value());
  BOOST_TEST(model::service_dates(read.claims[0]).empty());
}

// servicedPeriod with one end: the item has no date of its own (it was one day); it takes a
// complete billablePeriod, as an item without any date does.
BOOST_AUTO_TEST_CASE(serviced_period_with_one_end) {
  const std::string items =
      R"([{"sequence": 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedPeriod": {"start": "2024-08-15"}}])";
  const ReadText read = read_text(
      claim_text(R"("billablePeriod": {"start": "2024-08-14", "end": "2024-08-16"},)", items),
      "s.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(!claim.lines.at(0).service_dates.has_value());
  BOOST_TEST(dates(model::service_dates(claim)) == "2024-08-14");
  BOOST_TEST(period_warnings(claim) ==
             "/item/0/servicedPeriod: servicedPeriod starts 2024-08-15 and has no end: a FHIR "
             "Period without an end is ongoing or its end is not known, so it is not read as a "
             "date range (its end would be invented); the item has no date of service of its own "
             "(it takes the Claim's billablePeriod when that has both ends)");
}

// Onset (supportingInfo timingPeriod): a period without an end started on its start; one
// without a start gives no onset.
BOOST_AUTO_TEST_CASE(onset_period_with_one_end) {
  auto onset = [](const std::string& period) {
    return R"("supportingInfo": [{"sequence": 1, "category": {"coding": [{"code": "onset"}]}, "timingPeriod": )" +
           period + "}],\n";
  };
  const std::string full = R"("billablePeriod": {"start": "2024-08-14", "end": "2024-08-16"},)";
  const ReadText started = read_text(
      claim_text(full, kTwoItems, "professional", onset(R"({"start": "2024-08-01"})")), "o1.json");
  BOOST_REQUIRE_EQUAL(started.claims.size(), 1u);
  BOOST_TEST(started.claims[0].onset_date->iso() == "2024-08-01");
  BOOST_TEST(period_warnings(started.claims[0]) == "");
  const ReadText ended = read_text(
      claim_text(full, kTwoItems, "professional", onset(R"({"end": "2024-08-05"})")), "o2.json");
  BOOST_REQUIRE_EQUAL(ended.claims.size(), 1u);
  BOOST_TEST(!ended.claims[0].onset_date.has_value());
  BOOST_TEST(period_warnings(ended.claims[0]) ==
             "/supportingInfo/0/timingPeriod: timingPeriod ends 2024-08-05 and has no start: when "
             "it began is not known; no date read");
}

// A billablePeriod that ends before it starts rejected the whole Claim even when every item
// dates itself. Professional claims take their dates line by line (DOMAIN.md 4.1): with every
// item dated the claim is read, the period is not, and a warning says so. With an item that has
// no date of its own nothing dates it, and the claim is still rejected.
BOOST_AUTO_TEST_CASE(reversed_billable_period) {
  const std::string reversed = R"("billablePeriod": {"start": "2024-08-16", "end": "2024-08-14"},)";
  const std::string dated =
      R"([{"sequence": 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedDate": "2024-08-15"},
 {"sequence": 2, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97110"}]}, "servicedPeriod": {"start": "2024-08-15", "end": "2024-08-16"}}])";
  const ReadText read = read_text(claim_text(reversed, dated), "r.json");
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(!claim.statement_period.has_value());
  BOOST_TEST(dates(model::service_dates(claim)) == "2024-08-15");
  std::vector<std::string> got;
  for (const auto& d : claim.diagnostics) {
    if (d.code == "W-FHIR-DATE") got.push_back(d.where.path + ": " + d.message);
  }
  BOOST_TEST(got == std::vector<std::string>{"/billablePeriod/end: period ends before it starts; "
                                             "billablePeriod not read: every item has its own "
                                             "servicedDate or servicedPeriod, which dates the "
                                             "claim"},
             boost::test_tools::per_element());

  const ReadText undated = read_text(claim_text(reversed, kTwoItems), "u.json");
  BOOST_TEST(undated.claims.empty());
  std::vector<std::string> errors;
  for (const auto& d : undated.diagnostics) {
    if (d.code == "E-FHIR-DATE") errors.push_back(d.where.path + ": " + d.message);
  }
  BOOST_TEST(
      errors == std::vector<std::string>{"/billablePeriod/end: period ends before it starts"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
