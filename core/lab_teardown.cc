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
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "core/journal.h"
#include "core/netns_names.h"
#include "core/runtime_dir.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// Inits of this lab that the journal may not name: an `up` killed between the clone and the
// journal write. They are recognised by their command line, which carries "--lab NAME".
std::vector<ProcessRef> find_inits_by_command_line(const std::string& lab) {
  std::vector<ProcessRef> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string pid_text = entry.path().filename().string();
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file(entry.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv;
    for (size_t at = 0; at < cmdline.size();) {
      size_t end = cmdline.find('\0', at);
      if (end == std::string::npos) end = cmdline.size();
      argv.push_back(cmdline.substr(at, end - at));
      at = end + 1;
    }
    if (argv.empty() || fs::path(argv[0]).filename() != "nettopo-init") continue;
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i] == "--lab" && argv[i + 1] == lab) {
        if (auto process = ProcessRef::of(std::stoi(pid_text))) found.push_back(*process);
        break;
      }
    }
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

}  // namespace

TeardownReport teardown_lab(const std::string& name, std::chrono::milliseconds grace,
                            bool search_processes) {
  TeardownReport report;
  RuntimeDir dir(name);
  JournalEntries journal = Journal::read(dir.journal());
  report.found = dir.exists();

  std::vector<ProcessRef> inits;
  for (const auto& init : journal.inits) inits.push_back(init.process);
  // A complete journal names every init; only an up that did not finish needs the search.
  if (!journal.complete && search_processes) {
    for (const auto& process : find_inits_by_command_line(name)) {
      bool known = false;
      for (const auto& init : inits) known = known || init == process;
      if (!known) inits.push_back(process);
    }
  }

  // SIGTERM to each init: it forwards the request to every process of its node and exits once
  // they are gone or its own grace period ends. Exiting PID 1 kills the rest of its node.
  std::vector<Target> targets;
  for (const auto& init : inits) {
    UniqueFd pidfd = init.open_pidfd();
    if (pidfd) targets.push_back({"PID " + std::to_string(init.pid), std::move(pidfd)});
  }
  report.found = report.found || !targets.empty();
  report.inits_stopped = targets.size();
  auto started = std::chrono::steady_clock::now();
  for (const auto& target : targets) send(target, SIGTERM);
  {
    // The /run/netns names go while the inits exit: a name only holds a reference to a namespace,
    // so removing it early changes nothing for the node, and the two kinds of kernel work overlap.
    // Should down die here, the journal still names every init for the next down.
    std::jthread names(
        [&] { report.names_removed = remove_netns_names(journal.netns_dir, journal.netns_links); });
    targets = wait_for_exit(std::move(targets), started + grace);
    report.inits_killed = targets.size();
    for (const auto& target : targets) send(target, SIGKILL);
    targets = wait_for_exit(std::move(targets),
                            std::chrono::steady_clock::now() + std::chrono::seconds(5));
    for (const auto& target : targets) spdlog::warn("lab {}: {} did not exit", name, target.name);
    spdlog::info("lab {}: {} inits ended, {} of them killed after the grace period ({:.3f} s)",
                 name, report.inits_stopped, report.inits_killed, seconds_since(started));
  }
  // Mount points another running lab shares stay: removing one would take it from under that
  // lab's nodes (the kernel detaches mounts on a removed directory in every namespace).
  std::set<std::string> shared;
  if (!journal.created_files.empty() || !journal.created_dirs.empty())
    shared = mount_points_of_other_labs(name);
  for (auto it = journal.created_files.rbegin(); it != journal.created_files.rend(); ++it) {
    struct stat info {};
    if (shared.count(*it)) continue;
    if (::stat(it->c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 0)
      ::unlink(it->c_str());
  }
  for (auto it = journal.created_dirs.rbegin(); it != journal.created_dirs.rend(); ++it) {
    if (shared.count(*it)) continue;
    if (::rmdir(it->c_str()) != 0 && errno != ENOENT)
      spdlog::warn("lab {}: remove directory {}: {}", name, *it, std::strerror(errno));
  }
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

}  // namespace nettopo
