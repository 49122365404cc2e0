#include "core/process_ref.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace nettopo {
namespace {

struct StatFields {
  char state = '?';
  uint64_t start_time = 0;
};

// /proc/PID/stat: "PID (COMM) STATE PPID ...", COMM may hold spaces and parentheses, so parse
// from the last ')'. starttime is field 22; STATE is field 3.
std::optional<StatFields> read_stat(pid_t pid) {
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char buffer[1024];
  ssize_t got = ::read(fd.get(), buffer, sizeof buffer - 1);
  if (got <= 0) return std::nullopt;
  buffer[got] = '\0';
  const char* cursor = std::strrchr(buffer, ')');
  if (!cursor) return std::nullopt;
  StatFields fields;
  fields.state = cursor[2];
  cursor += 2;
  for (int field = 3; field < 22 && cursor; ++field) {
    cursor = std::strchr(cursor, ' ');
    if (cursor) ++cursor;
  }
  if (!cursor) return std::nullopt;
  fields.start_time = std::strtoull(cursor, nullptr, 10);
  return fields;
}

}  // namespace

std::optional<ProcessRef> ProcessRef::of(pid_t pid) {
  auto fields = read_stat(pid);
  if (!fields) return std::nullopt;
  return ProcessRef{pid, fields->start_time};
}

bool ProcessRef::alive() const {
  auto fields = read_stat(pid);
  return fields && fields->start_time == start_time && fields->state != 'Z' && fields->state != 'X';
}

UniqueFd ProcessRef::open_pidfd() const {
  UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!fd || !alive()) return UniqueFd();
  return fd;
}

std::optional<std::string> read_to_end(const UniqueFd& fd) {
  std::string content;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::nullopt;
    if (got == 0) return content;
    content.append(buffer, static_cast<size_t>(got));
  }
}

std::optional<std::string> read_proc_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  return read_to_end(fd);
}

}  // namespace nettopo
