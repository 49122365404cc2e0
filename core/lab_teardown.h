#pragma once

#include <chrono>
#include <string>

namespace nettopo {

struct TeardownReport {
  bool found = false;  ///< false: there was nothing of this lab to remove
  size_t inits_stopped = 0;
  size_t inits_killed = 0;   ///< did not stop within the grace period
  size_t names_removed = 0;  ///< /run/netns names
};

/// Removes every trace of lab `name` that its journal names, plus, when the journal is not
/// complete and `search_processes` is set, any init of that lab found by its command line (an
/// `up` killed between clone and journal): stops programs (SIGTERM through
/// each node's init, SIGKILL after `grace`), ends the inits, removes /run/netns entries and the
/// mount points nettopo made, and the runtime directory. The caller holds the lab's lock.
/// Never throws: whatever cannot be removed is logged as a warning and teardown goes on.
/// An `up` rolling itself back passes `search_processes` = false: it journaled every init it
/// made, and a process found by name could belong to a lab of that name under another runtime
/// directory ($NETTOPO_RUNTIME_DIR).
TeardownReport teardown_lab(const std::string& name, std::chrono::milliseconds grace,
                            bool search_processes = true);

}  // namespace nettopo
