#include "netlink/sysctl.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "core/sys/sysctl_key.h"

namespace nettopo::netlink {
namespace {

UniqueFd open_sysctl(std::string_view key, int flags, std::string_view proc = "/proc") {
  UniqueFd fd(::open(sysctl_path(key, proc).c_str(), flags | O_CLOEXEC));
  if (!fd) throw SystemError(flags == O_WRONLY ? "write sysctl" : "read sysctl", std::string(key));
  return fd;
}

void write_all(const UniqueFd& fd, std::string_view key, std::string_view value) {
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("sysctl: {} = {}", key, value);
  // A sysctl takes its value in one write(2); a short write means the kernel refused the rest.
  ssize_t written;
  do {
    written = ::write(fd.get(), value.data(), value.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) throw SystemError("write sysctl", std::string(key) + " = " + std::string(value));
  if (static_cast<size_t>(written) != value.size()) {
    throw SystemError("write sysctl", std::string(key) + " = " + std::string(value), EIO,
                      "short write");
  }
}

std::string read_all(const UniqueFd& fd, std::string_view key) {
  std::string text;
  char chunk[512];
  for (;;) {
    ssize_t got = ::read(fd.get(), chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw SystemError("read sysctl", std::string(key));
    if (got == 0) break;
    text.append(chunk, static_cast<size_t>(got));
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

std::string sysctl_path(std::string_view key, std::string_view proc) {
  // The rule validate and the plan apply, so nothing they accept is refused here.
  if (auto problem = sysctl_key_problem(key))
    throw UsageError("sysctl '" + std::string(key) + "' " + *problem);
  return std::string(proc) + "/sys/" + sysctl_key_path(key);
}

void write_sysctl(const UniqueFd& netns, std::string_view key, std::string_view value) {
  UniqueFd fd;
  {
    ScopedNetns inside(netns);
    fd = open_sysctl(key, O_WRONLY);
  }
  write_all(fd, key, value);
}

void write_sysctl(std::string_view key, std::string_view value) {
  write_all(open_sysctl(key, O_WRONLY), key, value);
}

void write_sysctl_via(std::string_view proc, std::string_view key, std::string_view value) {
  write_all(open_sysctl(key, O_WRONLY, proc), key, value);
}

std::string read_sysctl(std::string_view key) { return read_all(open_sysctl(key, O_RDONLY), key); }

std::string read_sysctl(const UniqueFd& netns, std::string_view key) {
  UniqueFd fd;
  {
    ScopedNetns inside(netns);
    fd = open_sysctl(key, O_RDONLY);
  }
  return read_all(fd, key);
}

}  // namespace nettopo::netlink
