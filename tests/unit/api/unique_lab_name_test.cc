#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "nettopo/lab.h"
#include "topology/name_rules.h"

namespace nettopo::api {
namespace {

TEST(UniqueLabName, IsTheBaseThePidAndACounter) {
  std::string pid = std::to_string(::getpid());
  std::string first = unique_lab_name("ospf");
  std::string second = unique_lab_name("ospf");
  EXPECT_TRUE(first.starts_with("ospf-" + pid + "-")) << first;
  EXPECT_NE(first, second);
}

TEST(UniqueLabName, IsAValidLabNameWhateverTheBase) {
  std::set<std::string> seen;
  for (std::string base : {"", "9lives", "a very long name with spaces and symbols!", "-x-",
                           "__init__", "ünïcode", "ospf_area-1"}) {
    std::string name = unique_lab_name(base);
    EXPECT_EQ(topology::check_lab_name(name), std::nullopt) << name << " from '" << base << "'";
    EXPECT_LE(name.size(), 24u) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
  }
}

TEST(UniqueLabName, KeepsWhatIsValidOfTheBase) {
  EXPECT_TRUE(unique_lab_name("9lives").starts_with("lives-"));
  EXPECT_TRUE(unique_lab_name("").starts_with("lab-"));
  EXPECT_TRUE(unique_lab_name("a very long name").starts_with("averylongn-"));
}

}  // namespace
}  // namespace nettopo::api
