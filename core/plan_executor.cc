#include "core/plan_executor.h"

#include <chrono>
#include <variant>

namespace nettopo {
namespace {

// The phase under way: reported with its duration when the next one begins or the walk ends.
class PhaseClock {
 public:
  explicit PhaseClock(const PhaseHooks& hooks) : hooks_(hooks) {}
  void begin(const step::Phase& phase) {
    end();
    phase_ = &phase;
    started_ = std::chrono::steady_clock::now();
  }
  void end() {
    if (!phase_) return;
    if (hooks_.on_phase_done)
      hooks_.on_phase_done(
          phase_->done,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    phase_ = nullptr;
  }

 private:
  const PhaseHooks& hooks_;
  const step::Phase* phase_ = nullptr;  // in the plan
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void execute_plan(const LabPlan& plan, Kernel& kernel, const PhaseHooks& hooks) {
  PhaseClock clock(hooks);
  for (const Step& each : plan.steps) {
    if (const auto* phase = std::get_if<step::Phase>(&each)) {
      clock.end();
      if (hooks.check) hooks.check();
      if (hooks.on_phase) hooks.on_phase(phase->doing);
      clock.begin(*phase);
      continue;
    }
    std::visit(
        [&](const auto& operation) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(operation)>, step::Phase>)
            kernel.apply(operation);
        },
        each);
  }
  clock.end();
  if (hooks.check) hooks.check();
}

}  // namespace nettopo
