// Compiles only with CLAIMAUDIT_USE_REVEAL: a Phi handed to spdlog must be a compile error.
#include <string>

#include <spdlog/spdlog.h>

#include "core/phi.hpp"

int main() {
  const claimaudit::core::Phi<std::string> name("DOE JOHN");
#ifdef CLAIMAUDIT_USE_REVEAL
  spdlog::info("name has {} characters", name.reveal().size());
#else
  spdlog::info("name {}", name);
#endif
  return 0;
}
