#include "core/namespace_scan.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/process_ref.h"

namespace nettopo {
namespace {

constexpr long kNsfsMagic = 0x6e736673;  // NSFS_MAGIC, <linux/magic.h>

}  // namespace

const char* const kNodeNamespaceTypes[5] = {"net", "uts", "ipc", "mnt", "pid"};

std::optional<NamespaceId> namespace_of(pid_t pid, const char* type) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, type);
  struct stat info {};
  if (::stat(path, &info) != 0) return std::nullopt;
  return NamespaceId{info.st_dev, info.st_ino};
}

std::optional<NamespaceId> namespace_at(const std::string& path) {
  struct statfs filesystem {};
  struct stat info {};
  if (::statfs(path.c_str(), &filesystem) != 0 || filesystem.f_type != kNsfsMagic) return {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return NamespaceId{info.st_dev, info.st_ino};
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (!proc) return pids;
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && pid > 0) pids.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  return pids;
}

std::string command_name(pid_t pid) {
  auto name = read_proc_file("/proc/" + std::to_string(pid) + "/comm");
  if (!name || name->empty()) return "?";
  if (name->back() == '\n') name->pop_back();
  return *name;
}

}  // namespace nettopo
