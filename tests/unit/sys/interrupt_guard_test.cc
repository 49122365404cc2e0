#include "core/sys/interrupt_guard.h"

#include <gtest/gtest.h>

#include <csignal>

namespace nettopo {
namespace {

TEST(InterruptGuard, NothingReceivedChecksQuietly) {
  InterruptGuard guard;
  EXPECT_EQ(guard.received(), 0);
  EXPECT_NO_THROW(guard.check("lab x: up"));
}

TEST(InterruptGuard, ASignalBecomesInterruptedAtTheNextCheck) {
  InterruptGuard guard;
  ASSERT_EQ(::raise(SIGTERM), 0);  // would end the test process without the guard
  EXPECT_EQ(guard.received(), SIGTERM);
  try {
    guard.check("lab x: up");
    FAIL() << "no Interrupted";
  } catch (const Interrupted& interrupted) {
    EXPECT_STREQ(interrupted.what(), "lab x: up interrupted by SIGTERM");
    EXPECT_EQ(interrupted.status(), 128 + SIGTERM);
  }
}

TEST(InterruptGuard, TheFirstSignalCounts) {
  InterruptGuard guard;
  ::raise(SIGHUP);
  ::raise(SIGINT);
  EXPECT_EQ(guard.received(), SIGHUP);
}

TEST(InterruptGuard, RestoresThePreviousHandlers) {
  static volatile std::sig_atomic_t seen = 0;
  struct sigaction mine {};
  mine.sa_handler = [](int signal_number) { seen = signal_number; };
  struct sigaction old {};
  ::sigaction(SIGINT, &mine, &old);
  {
    InterruptGuard guard;
    ::raise(SIGINT);
    EXPECT_EQ(seen, 0);
  }
  ::raise(SIGINT);
  EXPECT_EQ(seen, SIGINT);
  ::sigaction(SIGINT, &old, nullptr);
}

TEST(InterruptGuard, ANewGuardStartsClean) {
  {
    InterruptGuard guard;
    ::raise(SIGTERM);
  }
  InterruptGuard next;
  EXPECT_EQ(next.received(), 0);
}

}  // namespace
}  // namespace nettopo
