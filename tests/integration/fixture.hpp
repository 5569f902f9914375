// integration/fixture.hpp
//
// What the integration tests share: a claimaudit.claim/1 claim builder and a fixture that starts
// claimauditd on a fresh state directory and waits for files to finish.
#pragma once

#include <string>

#include <boost/test/unit_test.hpp>

#include "integration/daemon_process.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {

namespace fs = std::filesystem;

// A claimaudit.claim/1 claim (DOMAIN.md 3.2). M54.5 was deleted on 2021-10-01, so on a 2024
// date of service it is stale (dx.stale_code); M54.50 is its billable successor.
inline std::string json_claim(const std::string& claim_id, const std::string& code,
                              const std::string& frequency = "1", const std::string& replaces = "",
                              const std::string& member = "MEMBER1") {
  return R"({"format": "claimaudit.claim/1", "claim_id": ")" + claim_id +
         R"(", "kind": "professional", "frequency": ")" + frequency + R"(", "replaces": )" +
         (replaces.empty() ? std::string("null") : "\"" + replaces + "\"") +
         R"(, "billing_provider": {"npi": "1245319599"},
  "payer": {"id": "FLHIN", "program": "CI"},
  "patient": {"member_id": ")" +
         member + R"(", "birth_date": "1960-02-03", "sex": "F"},
  "diagnoses": [{"seq": 1, "code": ")" +
         code + R"(", "role": "principal"}],
  "lines": [{"seq": 1, "procedure": {"system": "CPT", "code": "97140", "modifiers": ["GP"]},
    "units": "1", "charge": "55.00", "service_date": {"from": "2024-08-15", "to": "2024-08-15"},
    "dx_pointers": [1]}]})";
}

struct Fixture {
  TempDir temp;
  DaemonProcess daemon{temp / "state"};

  Fixture() { BOOST_TEST_REQUIRE(daemon.start(), "claimauditd did not start:\n" + daemon.log()); }

  std::int64_t sql(const std::string& query) { return sql_integer(daemon.database(), query); }
  std::string sql_string(const std::string& query) { return sql_text(daemon.database(), query); }

  bool done(int files) {
    return fs::exists(daemon.database()) &&
           sql("SELECT count(*) FROM files WHERE state = 'done'") >= files &&
           count_files(daemon.state_dir() / "processing", true) == 0 &&
           count_files(daemon.inbox()) == 0;
  }
  void wait_done(int files) {
    BOOST_TEST_REQUIRE(wait_until([&] { return done(files); }),
                       "files not finished in time:\n" + daemon.log());
  }
  void drop_sample(const fs::path& relative, const std::string& as) {
    drop_file(daemon.inbox(), as, slurp(shared_dir() / "samples" / relative));
  }
};

}  // namespace claimaudit::testing
