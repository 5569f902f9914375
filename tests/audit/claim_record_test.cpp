// The claim JSON the store records (audit/claim_record.hpp): a diagnosis sent as ICD-9-CM names
// its code system, so the status socket can dot it the ICD-9 way; an ICD-10-CM one is written as
// before.
#include "audit/claim_record.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

namespace claimaudit::audit {

BOOST_AUTO_TEST_SUITE(claim_record)

// Regression (session 10): without the code system the socket printed E880.9 as E88.09.
BOOST_AUTO_TEST_CASE(claim_json_names_the_icd9_code_system_only) {
  model::Claim claim;
  claim.claim_id = "N9";
  model::Diagnosis external;
  external.seq = 1;
  external.code = "E8809";
  external.role = model::DiagnosisRole::kExternalCause;
  external.code_system = model::CodeSystem::kIcd9Cm;
  external.qualifier = "BN";
  model::Diagnosis other;
  other.seq = 2;
  other.code = "M545";
  other.code_system = model::CodeSystem::kIcd10Cm;
  other.qualifier = "ABF";
  claim.diagnoses = {external, other};
  const std::string json = claim_json_without_phi(claim);
  BOOST_TEST(json.find(R"("diagnoses":[{"seq":1,"code":"E8809","role":"external_cause",)"
                       R"("code_system":"icd9cm","qualifier":"BN"},{"seq":2,"code":"M545",)"
                       R"("role":"other","qualifier":"ABF"}])") != std::string::npos,
             json);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::audit
