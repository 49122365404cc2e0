#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/process_ref.h"
#include "core/sys/child_process.h"

namespace nettopo {

struct RunningLab;

/// Starts a command that outlives nettopo, as a child of the node's init, which reaps it and
/// stops it at `down`. (A process nettopo starts directly would, once nettopo exits, be
/// reparented to the host's init, not the node's: the kernel picks the reaper from the pid
/// namespace of the parent that died. So an intermediate inside the node starts it and exits.)
/// The caller must not be inside the node. Returns pid 0 when the program has already exited
/// and been reaped (a program that ends at once is not a failure to start it). Throws
/// SystemError naming argv[0] when it cannot be started.
ProcessRef spawn_orphan_in_node(const ProcessRef& init, const std::string& node,
                                const CommandSpec& command);

/// The same for several commands, started in order from one visit to the node (which is most of
/// the cost): a program and its log writer. Throws SystemError for the first that cannot be
/// started; those before it run on.
std::vector<ProcessRef> spawn_orphans_in_node(const ProcessRef& init, const std::string& node,
                                              const std::vector<CommandSpec>& commands);

/// Starts `command` in `node` of the running `lab` (a node, or a bridge: then in its network
/// namespace only), the one way `nettopo exec` and the C++ API run a command in a node. Its argv
/// and stdio are taken as given; its environment becomes the node's (node_environment, over the
/// caller's own when `inherit_caller_environment`), and its working directory the caller's when
/// the node can enter it. Enters the node for a moment, so the caller must be single-threaded.
/// Throws Error when the node has no running init; ExitStatusError with 127 when the program is
/// not found and 126 when it cannot be run, as a shell says it.
ChildProcess start_in_node(const RunningLab& lab, const std::string& node, CommandSpec command,
                           bool inherit_caller_environment);

/// The environment every command in a node starts from (PATH, HOME, TERM, NETTOPO_LAB/NODE),
/// then the node's own `env`.
std::vector<std::string> node_environment(
    const std::string& lab, const std::string& node,
    const std::vector<std::pair<std::string, std::string>>& env, bool inherit_caller_environment);

}  // namespace nettopo
