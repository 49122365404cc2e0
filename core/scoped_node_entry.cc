#include "core/scoped_node_entry.h"

#include <fcntl.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/node_namespaces.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

UniqueFd open_own(const char* path) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError("open", path);
  return fd;
}

}  // namespace

ScopedNodeEntry::ScopedNodeEntry(const ProcessRef& init, const std::string& node,
                                 bool network_only) {
  static const std::pair<const char*, int> kOwn[] = {
      {"/proc/self/ns/net", CLONE_NEWNET},
      {"/proc/self/ns/uts", CLONE_NEWUTS},
      {"/proc/self/ns/ipc", CLONE_NEWIPC},
      {"/proc/self/ns/mnt", CLONE_NEWNS},
      {"/proc/self/ns/pid_for_children", CLONE_NEWPID}};
  int wanted = network_only ? CLONE_NEWNET : kNodeNamespaces;
  for (const auto& [path, type] : kOwn)
    if (wanted & type) original_.emplace_back(open_own(path), type);
  original_cwd_ = open_own(".");
  UniqueFd pidfd = init.open_pidfd();
  if (!pidfd)
    throw Error("node " + node + " is not running (its init, PID " + std::to_string(init.pid) +
                ", is gone)");
  if (::setns(pidfd.get(), wanted) != 0) throw SystemError("enter the namespaces of node", node);
}

ScopedNodeEntry::~ScopedNodeEntry() {
  // The mount namespace first: it also gives back the host's /proc. Each setns is separate so
  // that one failure does not stop the others; any failure leaves this process in a state where
  // continuing would act on the wrong namespaces, so it stops.
  bool failed = false;
  for (auto it = original_.rbegin(); it != original_.rend(); ++it)
    if (::setns(it->first.get(), it->second) != 0) failed = true;
  // Entering a mount namespace moved the root and working directory; the root came back with
  // the namespace, the working directory needs its own way home.
  if (::fchdir(original_cwd_.get()) != 0) failed = true;
  if (failed) {
    spdlog::critical("cannot return to nettopo's own namespaces: {}", std::strerror(errno));
    std::abort();
  }
}

}  // namespace nettopo
