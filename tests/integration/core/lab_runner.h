#pragma once

// Runs the real nettopo binary for the lab tests and checks what a lab leaves on the host.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "tests/integration/support.h"

namespace nettopo::testing {

struct CommandResult {
  int status = -1;     ///< exit code, or 128 + signal
  std::string output;  ///< stdout and stderr together
};

/// Runs `nettopo ARGS...` and waits for it.
CommandResult nettopo(const std::vector<std::string>& arguments);

/// Runs `argv` (no shell), stdout and stderr together, and waits for it. "{nettopo}" in any
/// argument becomes the path of the binary under test.
CommandResult run(const std::vector<std::string>& argv);

/// A lab name no other test (or test run) uses: "t<pid><tag>".
std::string unique_lab_name(const std::string& tag);

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns its last value.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// What lab `name` still holds on this host: its runtime directory, /run/netns entries, mounts,
/// and node inits. Empty when it is gone without a trace.
std::vector<std::string> traces_of(const std::string& name);

/// Skips a test that builds labs unless it runs as root, saying why.
#define REQUIRE_ROOT() NETTOPO_REQUIRE_ROOT("builds real namespaces and devices")

/// Takes its lab down at the end of the test, whatever happened in between; `runtime_dir` for a
/// lab under another $NETTOPO_RUNTIME_DIR.
class LabGuard {
 public:
  explicit LabGuard(std::string name, std::string runtime_dir = {})
      : name_(std::move(name)), runtime_dir_(std::move(runtime_dir)) {}
  ~LabGuard() {
    if (runtime_dir_.empty())
      nettopo({"down", "--lab", name_});
    else
      run({"env", "NETTOPO_RUNTIME_DIR=" + runtime_dir_, "{nettopo}", "down", "--lab", name_});
  }
  LabGuard(const LabGuard&) = delete;
  LabGuard& operator=(const LabGuard&) = delete;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string runtime_dir_;
};

}  // namespace nettopo::testing
