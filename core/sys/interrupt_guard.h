#pragma once

#include <csignal>
#include <string>

#include "core/sys/error.h"

namespace nettopo {

/// A stop request (SIGINT, SIGTERM, SIGHUP) that arrived during an operation that must not be
/// cut short; thrown at the next safe point so that the operation rolls back. Exit status
/// 128 + the signal's number, as if the signal had ended the process.
class Interrupted : public ExitStatusError {
 public:
  Interrupted(const std::string& what, int signal_number)
      : ExitStatusError(what, 128 + signal_number) {}
};

/// While it lives, ^C, SIGTERM and SIGHUP no longer end the process: they are only recorded, and
/// check() turns them into Interrupted at a point where unwinding is safe. Handlers restart
/// system calls (SA_RESTART), so code that waits is not disturbed. A second signal changes
/// nothing: rollback, once begun, runs to its end. One guard at a time per process.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// The first signal received, or 0.
  int received() const;
  /// Throws Interrupted, naming `what` was interrupted, when a signal was received.
  void check(const std::string& what) const;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction previous_[std::size(kSignals)];
};

}  // namespace nettopo
