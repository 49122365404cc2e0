#pragma once

// Integration-test helpers: anonymous namespaces with a socket each, and commands run inside.

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/sys/ip_address.h"
#include "core/sys/scoped_netns.h"
#include "core/sys/unique_fd.h"
#include "netlink/link.h"
#include "netlink/socket.h"
#include "tests/integration/support.h"

namespace nettopo::netlink::test_support {

/// An anonymous network namespace (alive as long as `fd`) and a socket opened inside it.
struct Namespace {
  UniqueFd fd;
  Socket socket;

  static Namespace create() {
    UniqueFd fd = create_network_namespace();
    Socket socket = Socket::open_in(fd);
    return Namespace{std::move(fd), std::move(socket)};
  }
};

/// Runs `argv` with its network namespace set to `netns`; returns the exit status (-1 when it
/// did not exit normally). Output goes to the test's stdout.
inline int run_in(const UniqueFd& netns, const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ExitStatus status = testing::fork_child([&] {
                        // Between fork and exec: no allocation, no exceptions.
                        if (::setns(netns.get(), CLONE_NEWNET) != 0) ::_exit(126);
                        ::execvp(args[0], args.data());
                      }).wait_exit();
  return status.signal ? -1 : status.code;
}

inline int ping(const UniqueFd& netns, const std::string& address) {
  return run_in(netns, {"ping", "-c1", "-W2", "-q", address});
}

/// One ping that is expected to go unanswered: waits one second, not two.
inline int ping_unanswered(const UniqueFd& netns, const std::string& address) {
  return run_in(netns, {"ping", "-c1", "-W1", "-q", address});
}

/// The inode of the calling thread's network namespace, to tell namespaces apart.
inline ino_t current_netns_inode() {
  struct stat info {};
  ::stat("/proc/thread-self/ns/net", &info);
  return info.st_ino;
}

inline IpPrefix prefix(const char* text) { return *IpPrefix::parse(text); }
inline IpAddress ip(const char* text) { return *IpAddress::parse(text); }

}  // namespace nettopo::netlink::test_support
