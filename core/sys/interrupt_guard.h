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

/// For the whole process, from the start of main: a write to a closed pipe (`nettopo up | head`)
/// fails with EPIPE instead of killing nettopo halfway. SIGPIPE is caught, not ignored, so the
/// programs nettopo starts get its default action back at exec.
void catch_broken_pipe();
/// True once a write met a closed pipe: what is left to print is dropped, quietly.
bool broken_pipe_seen();

/// While it lives, ^C, SIGTERM, SIGHUP and a closed output pipe (SIGPIPE) no longer end the
/// process: they are only recorded, and check() turns them into Interrupted at a point where
/// unwinding is safe. Handlers restart
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
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  struct sigaction previous_[std::size(kSignals)];
};

}  // namespace nettopo
