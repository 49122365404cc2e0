#pragma once

// Helpers shared by the topology unit tests.

#include <gtest/gtest.h>

#include <string>

#include "topology/loader.h"

namespace nettopo::topology::testing {

/// Every diagnostic of `result`, one per line, for failure messages.
inline std::string dump(const LoadResult& result) {
  std::string text;
  for (const auto& diagnostic : result.diagnostics.all()) text += diagnostic.to_string() + "\n";
  return text;
}

/// Loads `text` and fails the test when it has errors.
inline Lab load_ok(std::string_view text, const std::string& path = "/tmp/lab.toml") {
  LoadResult result = load_lab_string(text, path);
  EXPECT_TRUE(result.lab.has_value()) << dump(result);
  return result.lab ? *result.lab : Lab{};
}

/// The address of `owner:interface` of `family`, as text "10.0.0.1/30", or "" when none.
inline std::string address_of(const Lab& lab, std::string_view owner, std::string_view interface,
                              IpFamily family = IpFamily::V4) {
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.owner == owner && end.interface == interface)
        for (const auto& address : end.addresses)
          if (address.family() == family) return address.to_string();
  return "";
}

}  // namespace nettopo::topology::testing
