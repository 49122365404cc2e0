#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

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

/// The whole content of a /proc file (e.g. "/proc/123/cmdline"), read with plain system calls;
/// nullopt when it cannot be read. A process may exit at any moment while its entry is read:
/// that is an expected outcome (ENOENT, ESRCH), never an exception.
std::optional<std::string> read_proc_file(const std::string& path);

/// Reads what is left of an open file to its end; nullopt on a read error (ESRCH from the entry
/// of a process that exited after it was opened).
std::optional<std::string> read_to_end(const UniqueFd& fd);

}  // namespace nettopo
