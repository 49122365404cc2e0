#include "core/sys/interrupt_guard.h"

#include <cstring>

namespace nettopo {
namespace {

volatile std::sig_atomic_t first_signal = 0;
volatile std::sig_atomic_t pipe_broken = 0;

void record(int signal_number) {
  if (signal_number == SIGPIPE) pipe_broken = 1;
  if (first_signal == 0) first_signal = signal_number;
}

void note_broken_pipe(int) { pipe_broken = 1; }

}  // namespace

void catch_broken_pipe() {
  struct sigaction action {};
  action.sa_handler = note_broken_pipe;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGPIPE, &action, nullptr);
}

bool broken_pipe_seen() { return pipe_broken != 0; }

InterruptGuard::InterruptGuard() {
  first_signal = 0;
  struct sigaction action {};
  action.sa_handler = record;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &action, &previous_[i]);
}

InterruptGuard::~InterruptGuard() {
  for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
}

int InterruptGuard::received() const { return first_signal; }

void InterruptGuard::check(const std::string& what) const {
  int signal_number = received();
  if (signal_number == 0) return;
  const char* name = sigabbrev_np(signal_number);
  throw Interrupted(what + " interrupted by " + (name ? "SIG" + std::string(name) : "a signal"),
                    signal_number);
}

}  // namespace nettopo
