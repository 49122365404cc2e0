#pragma once

// A command run in a node with its stdout and stderr read back through pipes: Lab::exec().

#include <string>
#include <vector>

#include "nettopo/lab.h"

namespace nettopo {
struct RunningLab;
}

namespace nettopo::api {

/// Starts `argv` in `node` (start_in_node, as `nettopo exec` does) with stdin from /dev/null and
/// stdout and stderr on pipes, reads both until it exits, and reaps it. Output that background
/// jobs write after it exited is not waited for. At `options.timeout` it is killed. Throws
/// nettopo's own exceptions (the caller translates them).
ExecResult run_captured(const RunningLab& lab, const std::string& node,
                        const std::vector<std::string>& argv, const ExecOptions& options);

}  // namespace nettopo::api
