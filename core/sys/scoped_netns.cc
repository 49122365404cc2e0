#include "core/sys/scoped_netns.h"

#include <fcntl.h>
#include <sched.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/sys/error.h"

namespace nettopo {

UniqueFd open_namespace(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError("open namespace", path);
  return fd;
}

UniqueFd create_network_namespace() {
  UniqueFd original = open_namespace("/proc/thread-self/ns/net");
  if (::unshare(CLONE_NEWNET) != 0) throw SystemError("create network namespace", "");
  // From here on this thread sits in the new namespace; take a handle and go straight back.
  UniqueFd created(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  int open_errno = errno;
  if (::setns(original.get(), CLONE_NEWNET) != 0) {
    spdlog::critical("cannot return to the original network namespace: {}", std::strerror(errno));
    std::abort();
  }
  if (!created) throw SystemError("open new network namespace", "", open_errno);
  return created;
}

ScopedNetns::ScopedNetns(const UniqueFd& target)
    : original_(open_namespace("/proc/thread-self/ns/net")) {
  if (::setns(target.get(), CLONE_NEWNET) != 0) throw SystemError("enter network namespace", "");
}

ScopedNetns::~ScopedNetns() {
  // Failing to come back would leave this thread configuring the wrong namespace; there is no
  // safe way to continue, so say so loudly and stop.
  if (::setns(original_.get(), CLONE_NEWNET) != 0) {
    spdlog::critical("cannot return to the original network namespace: {}", std::strerror(errno));
    std::abort();
  }
}

}  // namespace nettopo
