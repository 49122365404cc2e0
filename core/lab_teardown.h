#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace nettopo {

struct TeardownReport {
  bool found = false;  ///< false: this runtime directory holds no lab of that name
  size_t inits_stopped = 0;
  size_t inits_killed = 0;   ///< did not stop within the grace period
  size_t names_removed = 0;  ///< /run/netns names
  /// Processes that had entered one of the lab's namespaces from outside its nodes (`ip netns
  /// exec`, `nsenter`, `nettopo exec BRIDGE`), ended before the lab, one line each:
  /// "PID 123 (sleep) in the network namespace of sw".
  std::vector<std::string> intruders;
};

/// Removes lab `name` as its own runtime directory records it, and nothing else:
///  1. ends every process that is in one of the lab's namespaces (found by namespace inode under
///     /proc, however it got in) but in none of its nodes' PID namespaces, after proving with
///     /proc/PID/ns that it is inside: SIGTERM through a pidfd, SIGKILL after `grace`;
///  2. stops the inits (each stops its node's processes; SIGKILL after `grace`): those the journal
///     names and, when `up` did not finish, those whose command line carries the lab's token
///     from that journal (an `up` killed between clone and journal write);
///  3. removes the /run/netns names, the mount points nettopo made, and the runtime directory.
/// When the runtime directory does not exist, touches nothing and reports found = false.
/// The caller holds the lab's lock. Never throws: whatever cannot be removed is logged as a
/// warning and teardown goes on. Signals go only through pidfds, to single processes.
TeardownReport teardown_lab(const std::string& name, std::chrono::milliseconds grace);

/// `down` of lab `name`, as the nettopo command and the C++ API both do it: when this runtime
/// directory holds such a lab, takes its lock (waiting up to 30 s for an `up`, `exec` or `down`
/// at work on it), tears it down (teardown_lab) and removes the lock file, its last trace.
/// Reports found = false, touching nothing, when there is no lab of that name here. Throws
/// Error only when the lock stays busy.
TeardownReport down_lab(const std::string& name, std::chrono::milliseconds grace);

}  // namespace nettopo
