#pragma once

// What every integration test needs: the root check, and a forked child to wait for.

#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>

#include "core/sys/child_process.h"
#include "core/sys/error.h"

/// Skips the test, saying why, unless it runs as root: `why` says what needs root ("creates
/// network namespaces").
#define NETTOPO_REQUIRE_ROOT(why)                                  \
  do {                                                             \
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: " << (why); \
  } while (false)

namespace nettopo::testing {

/// Forks; the child runs `in_child`, which should end in exec or _exit (returning from it exits
/// 127). The parent gets the child, which it waits for (wait(), wait_exit()); one it forgets is
/// killed and reaped.
inline ChildProcess fork_child(const std::function<void()>& in_child) {
  pid_t pid = ::fork();
  if (pid < 0) throw SystemError("fork", "a test child");
  if (pid == 0) {
    in_child();
    ::_exit(127);
  }
  return ChildProcess::adopt(pid);
}

}  // namespace nettopo::testing
