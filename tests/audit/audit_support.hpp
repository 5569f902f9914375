// tests/audit/audit_support.hpp
//
// What the audit tests share: the shipped rule pack on the generated code history (loaded once
// per test program), and the store as process_file's sink, as in the daemon but without its
// store thread.
#pragma once

#include <filesystem>
#include <memory>

#include <boost/test/unit_test.hpp>

#include "audit/process_file.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"

namespace claimaudit::testing {

inline std::shared_ptr<const rules::RuleSet> shipped_rules() {
  static const codes::CodeSet kCodes = codes::CodeSet::load(CLAIMAUDIT_CODESET_TABLE);
  static const codes::EditLists kLists = codes::EditLists::load(CLAIMAUDIT_CODESET_TABLE);
  static const std::shared_ptr<const rules::RuleSet> kSet = [] {
    auto loaded =
        rules::load_rule_set({std::filesystem::path(CLAIMAUDIT_SOURCE_DIR) / "rules/default"},
                             kCodes, kLists, rules::InlineTests::kSkip);
    BOOST_REQUIRE(loaded.rule_set);
    return loaded.rule_set;
  }();
  return kSet;
}

class StoreSink final : public audit::Sink {
 public:
  explicit StoreSink(store::Store& store) : store_(store) {}
  core::Result<store::Admitted> admit(const store::IncomingFile& file,
                                      store::Arrival arrival) override {
    return store_.admit(file, arrival);
  }
  void record(store::BatchRecord batch) override {
    BOOST_REQUIRE(store_.record_batch(batch).has_value());
  }

 private:
  store::Store& store_;
};

}  // namespace claimaudit::testing
