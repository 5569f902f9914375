#include "core/date.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace core = claimaudit::core;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(date)

BOOST_AUTO_TEST_CASE(epoch_is_day_zero) {
  BOOST_TEST(core::Date::from_civil(1970, 1, 1).days() == 0);
  BOOST_TEST(core::kIcd10Start.iso() == "2015-10-01");
  BOOST_TEST(core::kIcd10Start.days() == 16709);
}

static const char* const kValidIso[] = {"2015-10-01", "2020-02-29", "2000-02-29", "1999-12-31"};
BOOST_DATA_TEST_CASE(iso_round_trips, data::make(kValidIso), text) {
  const auto parsed = core::parse_iso_date(text);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->iso() == text);
}

static const char* const kInvalidIso[] = {"2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10",
                                          "2021-1-01",  "20210101",   "2021-01-32", "abcd-ef-gh",
                                          "",           "2021-04-31"};
BOOST_DATA_TEST_CASE(rejects_non_dates, data::make(kInvalidIso), text) {
  BOOST_TEST(!core::parse_iso_date(text).has_value());
}

BOOST_AUTO_TEST_CASE(parses_d8) {
  BOOST_TEST(core::parse_d8_date("20240815")->iso() == "2024-08-15");
  BOOST_TEST(!core::parse_d8_date("2024081").has_value());
  BOOST_TEST(!core::parse_d8_date("20240230").has_value());
  BOOST_TEST(core::parse_d8_date("20240815")->compact() == "20240815");
}

BOOST_AUTO_TEST_CASE(age_counts_whole_years) {
  const auto birth = *core::parse_iso_date("1946-11-11");
  BOOST_TEST(core::age_in_years(birth, *core::parse_iso_date("2024-11-10")) == 77);
  BOOST_TEST(core::age_in_years(birth, *core::parse_iso_date("2024-11-11")) == 78);
}

BOOST_AUTO_TEST_CASE(fiscal_year_starts_in_october) {
  BOOST_TEST(core::Date::from_civil(2021, 9, 30).fiscal_year() == 2021);
  BOOST_TEST(core::Date::from_civil(2021, 10, 1).fiscal_year() == 2022);
  BOOST_TEST(core::Date::from_civil(2022, 1, 1).fiscal_year() == 2022);
  BOOST_TEST(core::kIcd10Start.fiscal_year() == 2016);
}

BOOST_AUTO_TEST_SUITE_END()
