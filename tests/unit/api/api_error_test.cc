#include "core/api/api_error.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "core/sys/error.h"
#include "nettopo/error.h"

namespace nettopo::api {
namespace {

// What nettopo's own exceptions become at the API's boundary: the same text, and the exit code
// the nettopo command would give.
template <class Failure>
Error translated(const Failure& failure) {
  try {
    try {
      throw failure;
    } catch (...) {
      rethrow_as_api_error();
    }
  } catch (const Error& error) {
    return error;
  }
  return Error("not translated", -1);
}

TEST(ApiError, KeepsTheTextAndTheExitCode) {
  Error usage = translated(UsageError("no node h9 in lab x"));
  EXPECT_STREQ(usage.what(), "no node h9 in lab x");
  EXPECT_EQ(usage.exit_code(), 2);
  EXPECT_TRUE(usage.bad_input());

  Error system = translated(SystemError("create veth", "h1:eth0", EEXIST));
  EXPECT_STREQ(system.what(), "create veth h1:eth0: File exists");
  EXPECT_EQ(system.exit_code(), 1);
  EXPECT_FALSE(system.bad_input());

  EXPECT_EQ(translated(ExitStatusError("interrupted", 130)).exit_code(), 130);
  EXPECT_EQ(translated(std::runtime_error("other")).exit_code(), 1);
  EXPECT_EQ(translated(Error("already", 2)).exit_code(), 2);
}

}  // namespace
}  // namespace nettopo::api
