#include "core/netns_names.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/sys/error.h"
#include "core/sys/unique_fd.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// Who holds a /run/netns name this lab wanted: another lab (its link leads to
// RUNTIME/LAB/netns/NODE, whatever its runtime directory), or something else.
std::string owner_of_name(const std::string& link) {
  std::error_code error;
  fs::path target = fs::read_symlink(link, error);
  if (!error && target.parent_path().filename() == "netns")
    return "lab " + target.parent_path().parent_path().filename().string() + " has that name";
  return "another tool has that name (ip netns add?)";
}

}  // namespace

std::string netns_name(const std::string& lab, const std::string& node) {
  return std::string(kNetnsNamesDir) + "/" + lab + "-" + node;
}

void prepare_netns_names(const std::string& mounts) {
  if (::mkdir(mounts.c_str(), 0755) != 0) throw SystemError("create directory", mounts);
  if (::mount(kNetnsTmpfsSource, mounts.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=0755,size=64k") != 0)
    throw SystemError("mount tmpfs on", mounts);
  fs::create_directories(kNetnsNamesDir);
}

void create_netns_name(const std::string& mounts, const std::string& node, int netns_fd,
                       const std::string& name) {
  fs::path target = fs::path(mounts) / node;
  UniqueFd placeholder(::open(target.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
  if (!placeholder) throw SystemError("create", target.string());
  std::string own = "/proc/self/fd/" + std::to_string(netns_fd);
  if (::mount(own.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
    throw SystemError("bind mount network namespace on", target.string());
  if (::symlink(target.c_str(), name.c_str()) != 0)
    throw SystemError("create", name, errno, errno == EEXIST ? owner_of_name(name) : "");
}

// A name is removed only when it leads into this lab's tmpfs: an up that failed because another
// lab held the name journaled it too.
size_t remove_netns_names(const std::string& mounts, const std::vector<std::string>& names) {
  if (!mounts.empty() && ::umount2(mounts.c_str(), MNT_DETACH) != 0 && errno != EINVAL &&
      errno != ENOENT)
    spdlog::warn("unmount {}: {}", mounts, std::strerror(errno));
  size_t removed = 0;
  for (const auto& link : names) {
    std::error_code error;
    fs::path target = fs::read_symlink(link, error);
    if (error || target.parent_path() != fs::path(mounts)) continue;
    if (::unlink(link.c_str()) == 0)
      ++removed;
    else if (errno != ENOENT)
      spdlog::warn("remove {}: {}", link, std::strerror(errno));
  }
  return removed;
}

}  // namespace nettopo
