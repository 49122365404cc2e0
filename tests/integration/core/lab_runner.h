#pragma once

// Runs the real nettopo binary for the lab tests and checks what a lab leaves on the host.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

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

}  // namespace nettopo::testing
