#include "topology/diagnostic.h"

#include <gtest/gtest.h>

namespace nettopo::topology {
namespace {

TEST(Diagnostic, Formats) {
  Diagnostic error{Diagnostic::Severity::Error, {"lab.toml", 12, 3}, "bad thing", ""};
  EXPECT_EQ(error.to_string(), "lab.toml:12:3: error: bad thing");
  Diagnostic hinted{Diagnostic::Severity::Warning, {"lab.toml", 1, 1}, "odd", "try this"};
  EXPECT_EQ(hinted.to_string(), "lab.toml:1:1: warning: odd\n  hint: try this");
  Diagnostic nowhere{Diagnostic::Severity::Error, {"lab.toml", 0, 0}, "unreadable", ""};
  EXPECT_EQ(nowhere.to_string(), "lab.toml: error: unreadable");
}

TEST(Diagnostics, SortsByPositionStably) {
  Diagnostics diagnostics;
  diagnostics.error({"f", 5, 1}, "third");
  diagnostics.warning({"f", 2, 9}, "second");
  diagnostics.error({"f", 2, 3}, "first");
  diagnostics.error({"f", 5, 1}, "fourth");
  EXPECT_TRUE(diagnostics.has_errors());
  EXPECT_EQ(diagnostics.error_count(), 3u);
  std::vector<std::string> order;
  for (const auto& d : diagnostics.all()) order.push_back(d.message);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third", "fourth"}));
}

TEST(Diagnostics, WarningsAreNotErrors) {
  Diagnostics diagnostics;
  diagnostics.warning({"f", 1, 1}, "meh");
  EXPECT_FALSE(diagnostics.has_errors());
  EXPECT_EQ(diagnostics.error_count(), 0u);
  EXPECT_EQ(diagnostics.all().size(), 1u);
}

}  // namespace
}  // namespace nettopo::topology
