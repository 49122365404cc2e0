#include "core/lab_teardown.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/host_paths.h"
#include "core/journal.h"
#include "core/namespace_scan.h"
#include "core/netns_names.h"
#include "core/process_ref.h"
#include "core/runtime_dir.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// Inits of this lab that the journal may not name: an `up` killed between the clone and the
// journal write. They carry "--lab NAME" and "--token TOKEN" on their command line, and the
// token must be the one this lab's own journal recorded: a lab of the same name under another
// runtime directory ($NETTOPO_RUNTIME_DIR) has another token, and is never touched.
std::vector<ProcessRef> find_inits_by_token(const std::string& lab, const std::string& token) {
  std::vector<ProcessRef> found;
  if (token.empty()) return found;
  for (pid_t pid : all_pids()) {
    auto cmdline = read_proc_file("/proc/" + std::to_string(pid) + "/cmdline");
    if (!cmdline || cmdline->empty()) continue;  // gone meanwhile, or a kernel thread
    std::vector<std::string> argv;
    for (size_t at = 0; at < cmdline->size();) {
      size_t end = cmdline->find('\0', at);
      if (end == std::string::npos) end = cmdline->size();
      argv.push_back(cmdline->substr(at, end - at));
      at = end + 1;
    }
    if (fs::path(argv[0]).filename() != "nettopo-init") continue;
    bool lab_matches = false, token_matches = false;
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      lab_matches = lab_matches || (argv[i] == "--lab" && argv[i + 1] == lab);
      token_matches = token_matches || (argv[i] == "--token" && argv[i + 1] == token);
    }
    if (!lab_matches || !token_matches) continue;
    if (auto process = ProcessRef::of(pid)) found.push_back(*process);
  }
  return found;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Target {
  std::string name;
  UniqueFd pidfd;
};

void send(const Target& target, int signal_number) {
  if (::syscall(SYS_pidfd_send_signal, target.pidfd.get(), signal_number, nullptr, 0) != 0 &&
      errno != ESRCH)
    spdlog::warn("{}: signal {}: {}", target.name, signal_number, std::strerror(errno));
}

// Waits until every target has exited or the deadline passes; returns those still running.
// They were all signalled together, so waiting for each in turn costs no more than the slowest,
// and polls one fd at a time (polling all the remaining ones after each exit would be O(n^2)).
std::vector<Target> wait_for_exit(std::vector<Target> targets,
                                  std::chrono::steady_clock::time_point deadline) {
  std::vector<Target> running;
  for (auto& target : targets) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd fd{target.pidfd.get(), POLLIN, 0};
      int ready = ::poll(&fd, 1, static_cast<int>(std::max<long>(left.count(), 0)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) running.push_back(std::move(target));
      break;
    }
  }
  return running;
}

// SIGTERM to every target, SIGKILL to those still there after `grace`; returns how many needed
// the SIGKILL. Logs any that survive even that.
size_t stop(std::vector<Target> targets, std::chrono::milliseconds grace, const std::string& lab) {
  auto started = std::chrono::steady_clock::now();
  for (const auto& target : targets) send(target, SIGTERM);
  targets = wait_for_exit(std::move(targets), started + grace);
  size_t killed = targets.size();
  for (const auto& target : targets) send(target, SIGKILL);
  targets =
      wait_for_exit(std::move(targets), std::chrono::steady_clock::now() + std::chrono::seconds(5));
  for (const auto& target : targets) spdlog::warn("lab {}: {} did not exit", lab, target.name);
  return killed;
}

// What holds one of the lab's namespaces, so that a match against its inode can be trusted: the
// kernel reuses the inode number of a namespace that is gone, so a match counts only if the
// holder still holds it afterwards.
struct Holder {
  std::string name;                // the node or bridge
  std::optional<ProcessRef> init;  // its init, whose namespaces never change while it runs
  std::string file;                // or the bind mount that names its network namespace
  bool still_holds(const NamespaceId& id) const {
    if (init) return init->alive();
    return namespace_at(file) == id;
  }
};

std::string type_in_words(const std::string& type) {
  if (type == "net") return "network";
  if (type == "mnt") return "mount";
  if (type == "uts") return "UTS";
  if (type == "ipc") return "IPC";
  return type;
}

// The lab's namespaces: those of its inits that differ from this process's own (a bridge's init
// shares the host's PID, UTS and IPC namespaces, which must never count as the lab's), and the
// network namespaces its /run/netns names lead to.
class LabNamespaces {
 public:
  LabNamespaces(const std::vector<std::pair<std::string, ProcessRef>>& inits,
                const JournalEntries& journal) {
    for (const char* type : kNodeNamespaceTypes) own_[type] = namespace_of(::getpid(), type);
    for (const auto& [name, init] : inits) {
      std::vector<std::pair<const char*, NamespaceId>> found;
      for (const char* type : kNodeNamespaceTypes)
        if (auto id = namespace_of(init.pid, type); id && id != own_[type])
          found.emplace_back(type, *id);
      if (!init.alive()) continue;  // exited while we looked: what we saw may be stale
      for (const auto& [type, id] : found) {
        holders_.emplace(id, Holder{name, init, {}});
        if (std::string(type) == "pid") pid_namespaces_.insert(id);
      }
    }
    if (!journal.netns_dir.empty()) {
      std::error_code error;
      for (const auto& entry : fs::directory_iterator(journal.netns_dir, error))
        if (auto id = namespace_at(entry.path().string()); id && id != own_["net"])
          holders_.emplace(*id, Holder{entry.path().filename().string(), {}, entry.path()});
    }
  }

  bool empty() const { return holders_.empty(); }

  // Processes in one of these namespaces but outside every node's PID namespace (what is inside
  // one is its init's to stop), except `skip`. Each comes with a pidfd opened before its
  // namespaces are checked a second time, so the fd is that very process or a dead one.
  std::vector<Target> intruders(const std::set<pid_t>& skip,
                                std::vector<std::string>& found) const {
    std::vector<Target> targets;
    for (pid_t pid : all_pids()) {
      if (skip.count(pid)) continue;
      auto pid_namespace = namespace_of(pid, "pid");
      if (!pid_namespace || pid_namespaces_.count(*pid_namespace)) continue;
      auto match = match_of(pid);
      if (!match) continue;
      UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
      if (!pidfd) continue;
      // Proof, after the pidfd is open: still in a lab namespace the lab still holds, and still
      // outside the nodes.
      auto again = match_of(pid);
      pid_namespace = namespace_of(pid, "pid");
      if (!again || !pid_namespace || pid_namespaces_.count(*pid_namespace)) continue;
      const auto& [type, id] = *again;
      const Holder& holder = holders_.at(id);
      if (!holder.still_holds(id)) continue;
      std::string line = "PID " + std::to_string(pid) + " (" + command_name(pid) + ") in the " +
                         type_in_words(type) + " namespace of " + holder.name;
      found.push_back(line);
      targets.push_back({line, std::move(pidfd)});
    }
    return targets;
  }

 private:
  std::optional<std::pair<std::string, NamespaceId>> match_of(pid_t pid) const {
    for (const char* type : kNodeNamespaceTypes) {
      if (std::string(type) == "pid") continue;
      auto id = namespace_of(pid, type);
      if (id && holders_.count(*id)) return std::make_pair(std::string(type), *id);
    }
    return std::nullopt;
  }

  std::map<std::string, std::optional<NamespaceId>> own_;
  std::map<NamespaceId, Holder> holders_;
  std::set<NamespaceId> pid_namespaces_;
};

}  // namespace

TeardownReport teardown_lab(const std::string& name, std::chrono::milliseconds grace) {
  TeardownReport report;
  RuntimeDir dir(name);
  // What a lab owns is what its own runtime directory recorded. Without one there is nothing
  // here to take down, whatever runs elsewhere under that name.
  if (!dir.exists()) return report;
  report.found = true;
  JournalEntries journal = Journal::read(dir.journal());

  std::vector<std::pair<std::string, ProcessRef>> inits;
  for (const auto& init : journal.inits) inits.emplace_back(init.name, init.process);
  // A complete journal names every init; only an up that did not finish needs the search.
  if (!journal.complete) {
    for (const auto& process : find_inits_by_token(name, journal.token)) {
      bool known = false;
      for (const auto& init : inits) known = known || init.second == process;
      if (!known) inits.emplace_back("PID " + std::to_string(process.pid), process);
    }
  }

  // Inits first get a pidfd: from then on nothing can make us signal another process.
  std::vector<Target> targets;
  std::set<pid_t> skip = {::getpid()};
  for (const auto& [init_name, init] : inits) {
    UniqueFd pidfd = init.open_pidfd();
    if (!pidfd) continue;
    skip.insert(init.pid);
    targets.push_back(
        {"init of " + init_name + " (PID " + std::to_string(init.pid) + ")", std::move(pidfd)});
  }

  auto started = std::chrono::steady_clock::now();
  // Whatever entered the lab from outside goes first, while the inits still hold the lab's
  // namespaces (so their inodes cannot have been reused), and is reported.
  LabNamespaces namespaces(inits, journal);
  if (!namespaces.empty()) {
    auto intruders = namespaces.intruders(skip, report.intruders);
    if (!intruders.empty()) {
      for (const auto& line : report.intruders) spdlog::info("lab {}: ending {}", name, line);
      stop(std::move(intruders), grace, name);
    }
  }

  // SIGTERM to each init: it forwards the request to every process of its node and exits once
  // they are gone or its own grace period ends. Exiting PID 1 kills the rest of its node.
  report.inits_stopped = targets.size();
  {
    // The /run/netns names go while the inits exit: a name only holds a reference to a namespace,
    // so removing it early changes nothing for the node, and the two kinds of kernel work overlap.
    // Should down die here, the journal still names every init for the next down.
    std::jthread names(
        [&] { report.names_removed = remove_netns_names(journal.netns_dir, journal.netns_links); });
    report.inits_killed = stop(std::move(targets), grace, name);
    spdlog::info("lab {}: {} inits ended, {} of them killed after the grace period ({:.3f} s)",
                 name, report.inits_stopped, report.inits_killed, seconds_since(started));
  }
  // Mount points another running lab shares stay: removing one would take it from under that
  // lab's nodes (the kernel detaches mounts on a removed directory in every namespace).
  std::set<std::string> shared;
  if (!journal.created_files.empty() || !journal.created_dirs.empty())
    shared = mount_points_of_other_labs(name);
  remove_mount_points(name, journal.created_dirs, journal.created_files, shared);
  try {
    dir.remove();
  } catch (const std::exception& error) {
    spdlog::warn("lab {}: {}", name, error.what());
  }
  spdlog::info(
      "lab {}: {} namespace names, {} mount points and the runtime directory removed ({:.3f} s)",
      name, report.names_removed, journal.created_dirs.size() + journal.created_files.size(),
      seconds_since(started));
  return report;
}

TeardownReport down_lab(const std::string& name, std::chrono::milliseconds grace) {
  // Only what this runtime directory recorded is this lab's: without it there is nothing to
  // lock, and nothing to end (a lab of that name under another $NETTOPO_RUNTIME_DIR is not ours).
  if (!RuntimeDir(name).exists()) return {};
  LabLock lock = LabLock::acquire(name, 30);
  TeardownReport report = teardown_lab(name, grace);
  lock.remove_file();
  return report;
}

}  // namespace nettopo
