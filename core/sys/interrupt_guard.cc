#include "core/sys/interrupt_guard.h"

#include <cstring>

namespace nettopo {
namespace {

volatile std::sig_atomic_t first_signal = 0;

void record(int signal_number) {
  if (first_signal == 0) first_signal = signal_number;
}

}  // namespace

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
