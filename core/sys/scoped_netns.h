#pragma once

#include <string>

#include "core/sys/unique_fd.h"

namespace nettopo {

/// Opens a namespace file ("/proc/PID/ns/net", "/run/netns/x") read-only with O_CLOEXEC.
/// Throws SystemError naming the path.
UniqueFd open_namespace(const std::string& path);

/// Creates a new, anonymous network namespace and returns an fd to it, without moving the caller:
/// the namespace lives exactly as long as that fd (and whatever is created inside it).
UniqueFd create_network_namespace();

/// Moves the calling thread into a network namespace and back to the one it came from
/// when it goes out of scope, also when an exception unwinds through it.
/// Only the calling thread moves: keep the scope short and do not hand work to other threads
/// inside.
class ScopedNetns {
 public:
  /// Enters `target` (a netns fd, borrowed). Throws SystemError when setns(2) refuses.
  explicit ScopedNetns(const UniqueFd& target);
  ~ScopedNetns();
  ScopedNetns(const ScopedNetns&) = delete;
  ScopedNetns& operator=(const ScopedNetns&) = delete;

 private:
  UniqueFd original_;
};

}  // namespace nettopo
