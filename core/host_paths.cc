#include "core/host_paths.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/journal.h"
#include "core/sys/error.h"
#include "core/sys/unique_fd.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// openat2(2) confined to `dir`: no symbolic link (RESOLVE_NO_SYMLINKS), no climbing out with
// ".." or an absolute path (RESOLVE_BENEATH). Returns -1 with errno set: ELOOP for a link,
// EXDEV for an escape.
int open_beneath(int dir, const char* name, uint64_t flags, uint64_t mode = 0) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.mode = mode;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long fd = ::syscall(SYS_openat2, dir, name, &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN) return static_cast<int>(fd);
  }
}

UniqueFd open_root() {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) throw SystemError("open", "/");
  return root;
}

// The components of an absolute, normal path: "/a/b" -> {"a", "b"}.
std::vector<std::string> components_of(const fs::path& path) {
  std::vector<std::string> parts;
  for (const auto& part : path.relative_path()) parts.push_back(part.string());
  return parts;
}

// A component that is not what it must be, said so that the user can fix the host or the file.
// `what` is "mount point" or "copy".
[[noreturn]] void refuse(const std::string& node, const char* what, const fs::path& path,
                         int error) {
  std::string subject = "node " + node + ": " + what + " " + path.string();
  if (error == ELOOP) throw Error(subject + " is a symbolic link on the host; name the real path");
  if (error == ENOTDIR) throw Error(subject + " exists on the host and is not a directory");
  if (error == EXDEV) throw Error(subject + " leaves the directory it must stay in");
  throw SystemError("node " + node + ": open " + what, path.string(), error);
}

// Opens directory `name` in `parent`, which must not be a symbolic link.
UniqueFd open_directory(const std::string& node, const char* what, int parent,
                        const std::string& name, const fs::path& path) {
  UniqueFd fd(open_beneath(parent, name.c_str(), O_PATH | O_DIRECTORY));
  if (!fd) refuse(node, what, path, errno);
  return fd;
}

// Opens the directory that holds `path`, walking from / without following a symbolic link.
// Sets errno and returns an invalid fd when it cannot.
UniqueFd open_parent(const fs::path& path) {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return root;
  fs::path parent = path.parent_path().relative_path();
  if (parent.empty()) return root;
  return UniqueFd(open_beneath(root.get(), parent.c_str(), O_PATH | O_DIRECTORY));
}

}  // namespace

void ensure_mount_point(const std::string& node, const fs::path& path, bool directory,
                        Journal& journal, const std::set<std::string>& others) {
  std::vector<std::string> parts = components_of(path);
  if (!path.is_absolute() || parts.empty())
    throw Error("node " + node + ": mount point " + path.string() + " is not below /");
  UniqueFd parent = open_root();
  fs::path at = "/";
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& name = parts[i];
    at /= name;
    if (name == "." || name == "..") refuse(node, "mount point", at, EXDEV);
    bool last = i + 1 == parts.size();
    if (!last || directory) {
      // Journaled only on mkdir's own word that it made the directory: one that was already
      // there (EEXIST) is not nettopo's to remove, unless another lab made it and shares it.
      bool made = ::mkdirat(parent.get(), name.c_str(), 0755) == 0;
      if (!made && errno != EEXIST)
        throw SystemError("node " + node + ": create mount point", at.string());
      if (made || others.count(at.string())) journal.record_mkdir(at.string());
      parent = open_directory(node, "mount point", parent.get(), name, at);
      continue;
    }
    UniqueFd file(open_beneath(parent.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644));
    if (file) {
      journal.record_mkfile(at.string());
      return;
    }
    if (errno != EEXIST) refuse(node, "mount point", at, errno);
    struct stat info {};
    if (::fstatat(parent.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
      throw SystemError("node " + node + ": inspect mount point", at.string());
    if (S_ISLNK(info.st_mode)) refuse(node, "mount point", at, ELOOP);
    if (S_ISDIR(info.st_mode))
      throw Error("node " + node + ": mount point " + at.string() +
                  " is a directory on the host; a file cannot be mounted on it");
    if (others.count(at.string())) journal.record_mkfile(at.string());
  }
}

size_t remove_mount_points(const std::string& lab, const std::vector<std::string>& created_dirs,
                           const std::vector<std::string>& created_files,
                           const std::set<std::string>& keep) {
  size_t removed = 0;
  auto warn = [&](const std::string& path, int error) {
    spdlog::warn("lab {}: remove {}: {}", lab, path, std::strerror(error));
  };
  // The directory holding `path`, opened without following links; an invalid fd when it is
  // gone (nothing to remove) or cannot be opened (warned).
  auto parent_of = [&](const fs::path& path) {
    UniqueFd parent = open_parent(path);
    if (!parent && errno != ENOENT) warn(path.string(), errno);
    return parent;
  };
  for (auto it = created_files.rbegin(); it != created_files.rend(); ++it) {
    if (keep.count(*it)) continue;
    fs::path path(*it);
    UniqueFd parent = parent_of(path);
    if (!parent) continue;
    std::string name = path.filename().string();
    struct stat info {};
    // Only the empty file nettopo made: anything a user put there since is theirs.
    if (::fstatat(parent.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(info.st_mode) && info.st_size == 0 &&
        ::unlinkat(parent.get(), name.c_str(), 0) == 0)
      ++removed;
  }
  for (auto it = created_dirs.rbegin(); it != created_dirs.rend(); ++it) {
    if (keep.count(*it)) continue;
    fs::path path(*it);
    UniqueFd parent = parent_of(path);
    if (!parent) continue;
    // rmdir removes only an empty directory and never follows a link in the last component.
    if (::unlinkat(parent.get(), path.filename().c_str(), AT_REMOVEDIR) == 0)
      ++removed;
    else if (errno != ENOENT)
      warn(*it, errno);
  }
  return removed;
}

void copy_file_beneath(const std::string& node, const fs::path& source, const fs::path& base,
                       const fs::path& relative, std::uintmax_t limit) {
  std::string what = "node " + node + ": copy " + source.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!in) throw SystemError(what + ": open", source.string());
  struct stat info {};
  if (::fstat(in.get(), &info) != 0) throw SystemError(what + ": inspect", source.string());
  if (!S_ISREG(info.st_mode)) throw Error(what + ": not a regular file");
  if (static_cast<std::uintmax_t>(info.st_size) > limit)
    throw Error(what + ": larger than " + std::to_string(limit) + " bytes");

  std::error_code error;
  fs::create_directories(base, error);
  if (error) throw SystemError("create directory", base.string(), error.value());
  UniqueFd dir(::open(base.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) throw SystemError("open", base.string());
  std::vector<std::string> parts;
  for (const auto& part : relative) parts.push_back(part.string());
  if (relative.is_absolute() || parts.empty()) refuse(node, "copy", base / relative, EXDEV);
  fs::path at = base;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    at /= parts[i];
    if (::mkdirat(dir.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST)
      throw SystemError(what + ": create directory", at.string());
    dir = open_directory(node, "copy", dir.get(), parts[i], at);
  }
  at /= parts.back();
  UniqueFd out(open_beneath(dir.get(), parts.back().c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                            info.st_mode & 0777));
  if (!out) throw SystemError(what + " to", at.string());
  char buffer[65536];
  std::uintmax_t total = 0;
  for (;;) {
    ssize_t got = ::read(in.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw SystemError(what + ": read", source.string());
    if (got == 0) break;
    total += static_cast<std::uintmax_t>(got);
    if (total > limit) throw Error(what + ": larger than " + std::to_string(limit) + " bytes");
    for (ssize_t put = 0; put < got;) {
      ssize_t wrote = ::write(out.get(), buffer + put, static_cast<size_t>(got - put));
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0) throw SystemError(what + " to", at.string());
      put += wrote;
    }
  }
  // The file's own permission bits (an executable script stays executable), umask aside.
  if (::fchmod(out.get(), info.st_mode & 0777) != 0)
    throw SystemError(what + ": set the mode of", at.string());
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream file(path, std::ios::trunc);
  file << content;
  if (!file.flush()) throw SystemError("write", path.string());
}

}  // namespace nettopo
