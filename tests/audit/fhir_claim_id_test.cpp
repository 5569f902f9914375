// FHIR Claims without identifier and id, in one Bundle, through process_file into a real store:
// each is its own claim (its entry's fullUrl is its claim id), with its own claim key and
// fingerprint, and the findings of one are not those of another. They were all read with the
// claim id "", so all had the claim key "NPI|": the second was an in-file duplicate of the first
// (not audited, its findings lost) and a void of either would have closed the other's findings.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include "audit/process_file.hpp"
#include "audit_support.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit {
namespace {

namespace fs = std::filesystem;
using testing::shipped_rules;
using testing::StoreSink;

std::vector<std::string> rows(const fs::path& database, const std::string& query) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  SQLite::Statement select(db, query);
  std::vector<std::string> values;
  while (select.executeStep()) values.push_back(select.getColumn(0).getString());
  return values;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_claim_id)

BOOST_AUTO_TEST_CASE(claims_without_identifier_and_id_keep_their_own_key_and_findings) {
  testing::TempDir temp;
  const fs::path path = temp / "no-ids.json";
  fs::copy_file(
      fs::path(CLAIMAUDIT_SOURCE_DIR) / "tests/formats/data/fhir/bundle-claims-without-id.json",
      path);
  audit::Job job;
  job.path = path;
  job.name = "no-ids.json";
  job.drop_dir = "inbox";
  job.rules = shipped_rules();
  store::Store store(temp / "store.db");
  StoreSink sink(store);
  const audit::Report report = audit::process_file(job, sink);
  BOOST_TEST_REQUIRE(static_cast<int>(report.disposition) ==
                     static_cast<int>(audit::Disposition::kArchived));
  BOOST_TEST(report.claims == 4);
  BOOST_TEST(report.audited == 4);
  const fs::path db = temp / "store.db";
  BOOST_TEST(
      rows(db, "SELECT claim_key FROM claims ORDER BY id") ==
          (std::vector<std::string>{"1245319599|urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1001",
                                    "1245319599|urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1002",
                                    "1245319599|CLM-4", "1245319599|res-5"}),
      boost::test_tools::per_element());
  BOOST_TEST(
      rows(db, "SELECT count(DISTINCT fingerprint) FROM claims") == (std::vector<std::string>{"4"}),
      boost::test_tools::per_element());
  // The two claims keyed by their fullUrl have the same finding (the same content: M54.5, retired
  // 2021-10-01), each its own row with its own fingerprint, and neither is a duplicate.
  const std::string findings_of =
      "SELECT f.rule_id FROM findings f JOIN claims c ON c.id = f.claim_ref WHERE c.claim_id = ";
  const auto first =
      rows(db, findings_of + "'urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1001' ORDER BY f.rule_id");
  const auto second =
      rows(db, findings_of + "'urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1002' ORDER BY f.rule_id");
  BOOST_TEST(first == (std::vector<std::string>{"dx.stale_code"}),
             boost::test_tools::per_element());
  BOOST_TEST(first == second, boost::test_tools::per_element());
  BOOST_TEST(rows(db, "SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate'") ==
                 (std::vector<std::string>{"0"}),
             boost::test_tools::per_element());
  BOOST_TEST(rows(db, "SELECT count(*) - count(DISTINCT fingerprint) FROM findings") ==
                 (std::vector<std::string>{"0"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit
