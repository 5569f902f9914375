// core/phi.hpp
//
// Phi<T>: a value that is protected health information (names, member ids, birth dates, ages,
// sex, note text). It has no formatter, no operator<< and no implicit conversion, so handing one
// to spdlog or fmt fails to compile. Read it with reveal(), which is easy to grep for.
#pragma once

#include <utility>

namespace claimaudit::core {

template <class T>
class Phi {
 public:
  Phi() = default;
  explicit Phi(T value) : value_(std::move(value)) {}

  // The raw value, for storage, rule evaluation and claimctl output. Grep for reveal().
  const T& reveal() const { return value_; }
  T& reveal_mutable() { return value_; }

  friend bool operator==(const Phi&, const Phi&) = default;

 private:
  T value_{};
};

}  // namespace claimaudit::core
