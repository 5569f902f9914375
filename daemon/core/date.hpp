// core/date.hpp
//
// Date: a calendar date (no time, no zone) stored as days since 1970-01-01, the unit every
// date-of-service comparison and code-history interval uses. Trivially copyable; thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claimaudit::core {

class Date {
 public:
  constexpr Date() = default;
  // Days since 1970-01-01 (negative before).
  static constexpr Date from_days(std::int32_t days) {
    Date date;
    date.days_ = days;
    return date;
  }
  // Builds a date from a civil year/month/day. No validation: use parse_* for user input.
  static constexpr Date from_civil(int year, unsigned month, unsigned day) {
    // Howard Hinnant's days_from_civil.
    year -= month <= 2 ? 1 : 0;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return from_days(era * 146097 + static_cast<int>(doe) - 719468);
  }

  constexpr std::int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  // The US federal fiscal year (October to September) the date falls in: 2021-10-01 is FY2022.
  int fiscal_year() const;
  unsigned day() const;

  // "2024-08-15".
  std::string iso() const;
  // "20240815".
  std::string compact() const;

  constexpr Date next_day() const { return from_days(days_ + 1); }
  constexpr Date previous_day() const { return from_days(days_ - 1); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>.
  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  std::int32_t days_ = 0;
};

// Parses "YYYY-MM-DD" exactly (a real calendar date). nullopt for anything else.
std::optional<Date> parse_iso_date(std::string_view text);
// Parses X12 D8 "CCYYMMDD" exactly. nullopt for anything else.
std::optional<Date> parse_d8_date(std::string_view text);

// Whole years between birth and on (age at service); negative if on < birth.
int age_in_years(Date birth, Date on);

// First day of ICD-10-CM.
inline constexpr Date kIcd10Start = Date::from_civil(2015, 10, 1);

}  // namespace claimaudit::core
