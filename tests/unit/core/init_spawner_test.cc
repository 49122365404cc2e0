#include "core/init_spawner.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>

#include "core/sys/error.h"

namespace nettopo {
namespace {

size_t open_descriptors() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++count;
  return count;
}

TEST(InitSpawner, AFailedStartLeaksNoDescriptor) {
  // The zygote's ends are copied above fd 100 before the spawn; under a lower limit the copy
  // fails, and neither end of the socketpair nor of the pipe may stay open.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  size_t before = open_descriptors();
  rlimit low = saved;
  low.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  EXPECT_THROW(InitSpawner("/bin/true", "arch-test", "0123abcd", [](uint32_t, pid_t) {}),
               SystemError);
  ::setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(open_descriptors(), before);
}

TEST(InitSpawner, AMissingBinaryIsNamed) {
  try {
    InitSpawner spawner("/nonexistent/nettopo-init", "arch-test", "0123abcd",
                        [](uint32_t, pid_t) {});
    FAIL() << "started";
  } catch (const SystemError& error) {
    EXPECT_STREQ(error.what(), "start /nonexistent/nettopo-init: No such file or directory");
  }
}

}  // namespace
}  // namespace nettopo
