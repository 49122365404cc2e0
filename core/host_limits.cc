#include "core/host_limits.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "core/sys/error.h"
#include "core/sys/open_file_limit.h"

namespace nettopo {
namespace {

// Descriptors that do not depend on the lab's size: standard streams, the journal, the lock,
// the zygote's pipes, the host's netlink socket, namespace handles held for a moment.
constexpr size_t kFixedOpenFiles = 64;
// Processes and mounts are shared with the rest of the host, which may start more meanwhile.
constexpr size_t kHeadroom = 100;

std::optional<size_t> read_number(const std::string& path) {
  std::ifstream file(path);
  unsigned long long value = 0;
  if (!(file >> value)) return std::nullopt;
  return static_cast<size_t>(value);
}

// The 4th field of /proc/loadavg: "RUNNING/TOTAL", TOTAL the threads (PIDs) in use.
std::optional<size_t> threads_in_use() {
  std::ifstream file("/proc/loadavg");
  std::string load1, load5, load15, counts;
  if (!(file >> load1 >> load5 >> load15 >> counts)) return std::nullopt;
  auto slash = counts.find('/');
  if (slash == std::string::npos) return std::nullopt;
  char* end = nullptr;
  unsigned long long total = std::strtoull(counts.c_str() + slash + 1, &end, 10);
  if (end == counts.c_str() + slash + 1) return std::nullopt;
  return static_cast<size_t>(total);
}

std::optional<size_t> mounts_in_use() {
  std::ifstream file("/proc/self/mountinfo");
  if (!file) return std::nullopt;
  size_t lines = 0;
  for (std::string line; std::getline(file, line);) ++lines;
  return lines;
}

void check_open_files(const std::string& lab, const LabDemand& demand) {
  size_t needed = open_files_needed(demand.namespaces);
  OpenFileLimit limit = open_file_limit();  // raised to the hard limit at start (main.cc)
  if (limit.soft == 0 || limit.soft >= needed) return;
  throw Error(fmt::format(
      "lab {}: building {} namespaces holds about {} open files at once, and the open-file "
      "limit is {} (hard limit {}): raise the hard limit to at least {} (as root: `ulimit -n {}` "
      "in the shell that runs nettopo; LimitNOFILE={} for a systemd service; `nofile` in "
      "/etc/security/limits.conf for logins)",
      lab, demand.namespaces, needed, limit.soft, limit.hard, needed, needed, needed));
}

void check_processes(const std::string& lab, const LabDemand& demand) {
  auto used = threads_in_use();
  if (!used) return;
  size_t needed = demand.namespaces + demand.programs;
  for (const char* key : {"kernel.pid_max", "kernel.threads-max"}) {
    std::string path = std::string("/proc/sys/kernel/") + (key + 7);
    auto limit = read_number(path);
    if (!limit || *used + needed + kHeadroom <= *limit) continue;
    throw Error(fmt::format(
        "lab {}: its {} processes (an init per namespace, {} programs) do not fit under {} = {} "
        "with {} in use: raise it (`sysctl -w {}={}`)",
        lab, needed, demand.programs, key, *limit, *used, key, *used + needed + kHeadroom));
  }
}

void check_namespaces(const std::string& lab, const LabDemand& demand) {
  struct Kind {
    const char* name;
    size_t needed;
  };
  for (const Kind& kind :
       {Kind{"net", demand.namespaces}, Kind{"mnt", demand.nodes}, Kind{"pid", demand.nodes},
        Kind{"uts", demand.nodes}, Kind{"ipc", demand.nodes}}) {
    std::string key = fmt::format("user.max_{}_namespaces", kind.name);
    auto limit = read_number(fmt::format("/proc/sys/user/max_{}_namespaces", kind.name));
    if (!limit || *limit >= kind.needed + kHeadroom) continue;
    throw Error(
        fmt::format("lab {}: it needs {} {} namespaces and {} = {}: raise it (`sysctl -w {}={}`)",
                    lab, kind.needed, kind.name, key, *limit, key, kind.needed + kHeadroom));
  }
}

void check_mounts(const std::string& lab, const LabDemand& demand) {
  // Here each network namespace gets a bind mount that names it (/run/netns), plus the tmpfs.
  auto limit = read_number("/proc/sys/fs/mount-max");
  auto used = mounts_in_use();
  if (!limit || !used || *used + demand.namespaces + 1 + kHeadroom <= *limit) return;
  throw Error(fmt::format(
      "lab {}: naming its {} namespaces takes {} more mounts, and fs.mount-max = {} with {} in "
      "use: raise it (`sysctl -w fs.mount-max={}`)",
      lab, demand.namespaces, demand.namespaces + 1, *limit, *used,
      *used + demand.namespaces + 1 + kHeadroom));
}

// The neighbour tables (ARP, NDP) are one per kernel, shared by every network namespace, and
// net.ipv4.neigh.default.gc_thresh3 of the host's namespace caps all of them together.
void warn_about_neighbour_tables(const std::string& lab, const LabDemand& demand) {
  auto limit = read_number("/proc/sys/net/ipv4/neigh/default/gc_thresh3");
  if (!limit || demand.interfaces <= *limit) return;
  spdlog::warn(
      "lab {}: its {} addressed interfaces may need more neighbour entries than "
      "net.ipv4.neigh.default.gc_thresh3 = {} allows for all namespaces together; once traffic "
      "flows the kernel drops packets (\"neighbour table overflow\"): raise it and gc_thresh2 "
      "(and the net.ipv6 ones) on the host",
      lab, demand.interfaces, *limit);
}

}  // namespace

size_t open_files_needed(size_t namespaces) {
  return namespaces + kTransientNamespaceHandles + kFixedOpenFiles;
}

void check_host_limits(const std::string& lab, const LabDemand& demand) {
  check_open_files(lab, demand);
  check_processes(lab, demand);
  check_namespaces(lab, demand);
  check_mounts(lab, demand);
  warn_about_neighbour_tables(lab, demand);
}

}  // namespace nettopo
