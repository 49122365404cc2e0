#include "core/runtime_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/sys/error.h"
#include "topology/name_rules.h"

namespace nettopo {
namespace fs = std::filesystem;

fs::path runtime_base() {
  const char* base = std::getenv("NETTOPO_RUNTIME_DIR");
  return base && *base ? fs::path(base) : fs::path("/run/nettopo");
}

std::vector<std::string> list_labs() {
  std::vector<std::string> labs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(runtime_base(), error)) {
    std::string name = entry.path().filename().string();
    // Lock files, a stray file or directory, a name no lab can have: none of them is a lab.
    if (topology::check_lab_name(name) || !entry.is_directory(error)) continue;
    if (fs::is_regular_file(entry.path() / "journal", error)) labs.push_back(name);
  }
  std::sort(labs.begin(), labs.end());
  return labs;
}

std::string make_lab_token() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError("getrandom", "for a lab token");
    got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char byte : bytes) {
    token.push_back(kHex[byte >> 4]);
    token.push_back(kHex[byte & 15]);
  }
  return token;
}

namespace {

// Every path of a lab is built from its name, so a name from the command line ("--lab ../x")
// is checked before it becomes one.
const std::string& checked(const std::string& lab) {
  if (auto problem = topology::check_lab_name(lab))
    throw UsageError("lab name \"" + lab + "\" " + *problem);
  return lab;
}

void make_private_directory(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    throw SystemError("create directory", path.string());
}

}  // namespace

RuntimeDir::RuntimeDir(const std::string& lab) : lab_(checked(lab)), path_(runtime_base() / lab_) {}

bool RuntimeDir::exists() const {
  std::error_code error;
  return fs::is_directory(path_, error);
}

bool RuntimeDir::holds_lab() const {
  std::error_code error;
  return fs::is_regular_file(journal(), error);
}

void RuntimeDir::create() const {
  fs::path base = runtime_base();
  std::error_code error;
  fs::create_directories(base.parent_path(), error);
  make_private_directory(base);
  make_private_directory(path_);
  make_private_directory(path_ / "nodes");
}

void RuntimeDir::remove() const {
  std::error_code error;
  fs::remove_all(path_, error);
  if (error) throw SystemError("remove", path_.string(), error.value());
}

namespace {

fs::path lock_path(const std::string& lab) { return runtime_base() / (checked(lab) + ".lock"); }

UniqueFd open_lock_file(const std::string& lab) {
  fs::path base = runtime_base();
  std::error_code error;
  fs::create_directories(base, error);
  ::chmod(base.c_str(), 0700);
  fs::path path = lock_path(lab);
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) throw SystemError("open lock", path.string());
  return fd;
}

// `down` unlinks the lock file while holding it. A command that opened the old file and then got
// the lock holds a lock nobody else can see; it must notice and start over on the new file.
bool still_current(const UniqueFd& fd, const std::string& lab) {
  struct stat held {
  }, on_disk{};
  if (::fstat(fd.get(), &held) != 0 || ::stat(lock_path(lab).c_str(), &on_disk) != 0) return false;
  return held.st_ino == on_disk.st_ino && held.st_dev == on_disk.st_dev;
}

}  // namespace

LabLock LabLock::acquire(const std::string& lab, double timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  for (;;) {
    if (auto lock = try_acquire(lab)) return std::move(*lock);
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error("lab " + lab + " is busy: another nettopo command is working on it");
    // flock(2) has no timeout; a short poll keeps this simple and is not on any hot path.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<LabLock> LabLock::try_acquire(const std::string& lab) {
  for (;;) {
    UniqueFd fd = open_lock_file(lab);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return std::nullopt;
      if (errno == EINTR) continue;
      throw SystemError("lock lab", lab);
    }
    if (still_current(fd, lab)) return LabLock(lab, std::move(fd));
  }
}

void LabLock::remove_file() {
  std::error_code error;
  fs::remove(lock_path(lab_), error);
}

}  // namespace nettopo
