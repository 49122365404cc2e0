#include "topology/name_rules.h"

#include <gtest/gtest.h>

#include "topology/loader.h"
#include "topology/suggestion.h"

namespace nettopo::topology {
namespace {

TEST(NameRules, LabNames) {
  EXPECT_FALSE(check_lab_name("triangle"));
  EXPECT_FALSE(check_lab_name("a-b_C9"));
  EXPECT_FALSE(check_lab_name(std::string(32, 'x')));
  EXPECT_EQ(check_lab_name(std::string(33, 'x')), "is longer than 32 characters");
  EXPECT_EQ(check_lab_name(""), "is empty");
  EXPECT_EQ(check_lab_name("9lab"), "must start with a letter");
  EXPECT_EQ(check_lab_name("-lab"), "must start with a letter");
  EXPECT_EQ(check_lab_name("my lab"), "may contain only letters, digits, '-' and '_'");
  EXPECT_EQ(check_lab_name("a/b"), "may contain only letters, digits, '-' and '_'");
  EXPECT_EQ(check_lab_name("a.b"), "may contain only letters, digits, '-' and '_'");
}

TEST(NameRules, InterfaceNames) {
  EXPECT_FALSE(check_interface_name("eth0"));
  EXPECT_FALSE(check_interface_name("averyverylongna"));  // 15 bytes
  EXPECT_EQ(check_interface_name("averyverylongnam"), "is longer than 15 bytes");
  EXPECT_EQ(check_interface_name(""), "is empty");
  EXPECT_EQ(check_interface_name("lo"), "is reserved for the loopback device");
  EXPECT_EQ(check_interface_name("a/b"), "contains '/'");
  EXPECT_EQ(check_interface_name("a:b"), "contains ':'");
  EXPECT_EQ(check_interface_name("a b"), "contains whitespace");
  EXPECT_EQ(check_interface_name("a\tb"), "contains whitespace");
  EXPECT_EQ(check_interface_name("a\xa0"
                                 "b"),
            "contains byte 0xA0, which the kernel counts as whitespace");  // the kernel's isspace()
  EXPECT_FALSE(check_interface_name("caf\xc3\xa9"));  // UTF-8 is fine otherwise
  EXPECT_EQ(check_interface_name("eth%d"), "contains '%', which the kernel takes as a template");
  EXPECT_TRUE(check_interface_name("."));
  EXPECT_TRUE(check_interface_name(".."));
}

TEST(Suggestion, EditDistance) {
  EXPECT_EQ(edit_distance("forward", "forward"), 0u);
  EXPECT_EQ(edit_distance("forwad", "forward"), 1u);
  EXPECT_EQ(edit_distance("mut", "mtu"), 1u);  // a swap counts one
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggestion, DidYouMean) {
  std::vector<std::string> keys = {"forward", "sysctl", "env", "routes"};
  EXPECT_EQ(did_you_mean("forwad", keys), "did you mean 'forward'?");
  EXPECT_EQ(did_you_mean("route", keys), "did you mean 'routes'?");
  EXPECT_EQ(did_you_mean("colour", keys), "");
  EXPECT_EQ(did_you_mean("x", {"y"}), "");  // one letter off a one-letter word is no typo
}

}  // namespace
}  // namespace nettopo::topology
