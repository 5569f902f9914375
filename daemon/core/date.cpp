#include "core/date.hpp"

#include <array>
#include <cstdio>

namespace claimaudit::core {
namespace {

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's civil_from_days.
Civil civil_from_days(std::int32_t days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int year = static_cast<int>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Date> make_date(std::optional<int> year, std::optional<int> month,
                              std::optional<int> day) {
  if (!year || !month || !day) return std::nullopt;
  if (*year < 1800 || *year > 2999 || *month < 1 || *month > 12 || *day < 1) return std::nullopt;
  const auto m = static_cast<unsigned>(*month);
  const auto d = static_cast<unsigned>(*day);
  if (d > days_in_month(*year, m)) return std::nullopt;
  return Date::from_civil(*year, m, d);
}

}  // namespace

int Date::year() const { return civil_from_days(days_).year; }
unsigned Date::month() const { return civil_from_days(days_).month; }
unsigned Date::day() const { return civil_from_days(days_).day; }
int Date::fiscal_year() const {
  const Civil c = civil_from_days(days_);
  return c.year + (c.month >= 10 ? 1 : 0);
}

std::string Date::iso() const {
  const Civil c = civil_from_days(days_);
  if (c.year < 0 || c.year > 9999) {
    std::array<char, 24> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", c.year, c.month, c.day);
    return buffer.data();
  }
  // The common case without snprintf (findings render several dates each).
  std::string out(10, '-');
  const auto digit = [](unsigned value) { return static_cast<char>('0' + value); };
  const auto year = static_cast<unsigned>(c.year);
  out[0] = digit(year / 1000);
  out[1] = digit(year / 100 % 10);
  out[2] = digit(year / 10 % 10);
  out[3] = digit(year % 10);
  out[5] = digit(c.month / 10);
  out[6] = digit(c.month % 10);
  out[8] = digit(c.day / 10);
  out[9] = digit(c.day % 10);
  return out;
}

std::string Date::compact() const {
  const Civil c = civil_from_days(days_);
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d%02u%02u", c.year, c.month, c.day);
  return buffer.data();
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  return make_date(digits(text.substr(0, 4)), digits(text.substr(5, 2)), digits(text.substr(8, 2)));
}

std::optional<Date> parse_d8_date(std::string_view text) {
  if (text.size() != 8) return std::nullopt;
  return make_date(digits(text.substr(0, 4)), digits(text.substr(4, 2)), digits(text.substr(6, 2)));
}

int age_in_years(Date birth, Date on) {
  const Civil b = civil_from_days(birth.days());
  const Civil o = civil_from_days(on.days());
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

}  // namespace claimaudit::core
