// The one Boost.Test main for every test binary (BOOST_TEST_DYN_LINK: Debian ships the shared
// library).
#define BOOST_TEST_MODULE claimaudit
#include <boost/test/unit_test.hpp>
