#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "core/sys/unique_fd.h"

namespace nettopo {

/// A process named so that a reused PID is never mistaken for it: its PID and its start time
/// (field 22 of /proc/PID/stat, clock ticks since boot).
struct ProcessRef {
  pid_t pid = 0;
  uint64_t start_time = 0;

  /// The process as it is now; nullopt when no process has that PID.
  static std::optional<ProcessRef> of(pid_t pid);
  /// True while the very same process still runs (a zombie counts as gone).
  bool alive() const;
  /// A pidfd for exactly this process, or an invalid fd when it is gone. Checked after opening,
  /// so the fd can never point at a process that merely reused the PID.
  UniqueFd open_pidfd() const;

  bool operator==(const ProcessRef&) const = default;
};

}  // namespace nettopo
