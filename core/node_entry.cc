#include "core/node_entry.h"

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "core/sys/error.h"

extern char** environ;

namespace nettopo {
namespace {

constexpr int kNodeNamespaces =
    CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID;

UniqueFd open_own(const char* path) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError("open", path);
  return fd;
}

}  // namespace

ScopedNodeEntry::ScopedNodeEntry(const ProcessRef& init, const std::string& node,
                                 bool network_only) {
  static const std::pair<const char*, int> kOwn[] = {
      {"/proc/self/ns/net", CLONE_NEWNET},
      {"/proc/self/ns/uts", CLONE_NEWUTS},
      {"/proc/self/ns/ipc", CLONE_NEWIPC},
      {"/proc/self/ns/mnt", CLONE_NEWNS},
      {"/proc/self/ns/pid_for_children", CLONE_NEWPID}};
  int wanted = network_only ? CLONE_NEWNET : kNodeNamespaces;
  for (const auto& [path, type] : kOwn)
    if (wanted & type) original_.emplace_back(open_own(path), type);
  original_cwd_ = open_own(".");
  UniqueFd pidfd = init.open_pidfd();
  if (!pidfd)
    throw Error("node " + node + " is not running (its init, PID " + std::to_string(init.pid) +
                ", is gone)");
  if (::setns(pidfd.get(), wanted) != 0) throw SystemError("enter the namespaces of node", node);
}

ScopedNodeEntry::~ScopedNodeEntry() {
  // The mount namespace first: it also gives back the host's /proc. Each setns is separate so
  // that one failure does not stop the others; any failure leaves this process in a state where
  // continuing would act on the wrong namespaces, so it stops.
  bool failed = false;
  for (auto it = original_.rbegin(); it != original_.rend(); ++it)
    if (::setns(it->first.get(), it->second) != 0) failed = true;
  // Entering a mount namespace moved the root and working directory; the root came back with
  // the namespace, the working directory needs its own way home.
  if (::fchdir(original_cwd_.get()) != 0) failed = true;
  if (failed) {
    spdlog::critical("cannot return to nettopo's own namespaces: {}", std::strerror(errno));
    std::abort();
  }
}

namespace {

// Everything posix_spawn needs, built up front so that start() neither allocates nor throws and
// may run in a freshly forked child.
class PreparedCommand {
 public:
  explicit PreparedCommand(const CommandSpec& command) : command_(command) {
    posix_spawn_file_actions_init(&actions_);
    if (command.null_stdin)
      posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    if (!command.output_file.empty()) {
      posix_spawn_file_actions_addopen(&actions_, 1, command.output_file.c_str(),
                                       O_WRONLY | O_CREAT | O_APPEND, 0644);
      posix_spawn_file_actions_adddup2(&actions_, 1, 2);
    }
    if (!command.working_directory.empty())
      posix_spawn_file_actions_addchdir_np(&actions_, command.working_directory.c_str());
    // Only stdin, stdout and stderr: a caller's pipe held by a program that outlives nettopo
    // would never see its end of file.
    posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    posix_spawnattr_init(&attributes_);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes_, &none);
    posix_spawnattr_setsigdefault(&attributes_, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (command.new_session) flags |= POSIX_SPAWN_SETSID;
    posix_spawnattr_setflags(&attributes_, flags);
    for (const auto& argument : command.argv) argv_.push_back(const_cast<char*>(argument.c_str()));
    argv_.push_back(nullptr);
    for (const auto& variable : command.env) envp_.push_back(const_cast<char*>(variable.c_str()));
    envp_.push_back(nullptr);
  }
  ~PreparedCommand() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  PreparedCommand(const PreparedCommand&) = delete;
  PreparedCommand& operator=(const PreparedCommand&) = delete;

  /// The PID, or -errno.
  pid_t start() {
    pid_t pid = -1;
    int error = posix_spawnp(&pid, argv_[0], &actions_, &attributes_, argv_.data(), envp_.data());
    return error == 0 ? pid : -error;
  }

 private:
  const CommandSpec& command_;
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// posix_spawnp searches argv[0] in the PATH of *our* environment; the command's PATH is the one
// that counts, so it is put in place for the duration of the call.
class ScopedSearchPath {
 public:
  explicit ScopedSearchPath(const CommandSpec& command) {
    if (const char* current = std::getenv("PATH")) saved_ = current;
    for (const auto& variable : command.env)
      if (variable.rfind("PATH=", 0) == 0) ::setenv("PATH", variable.c_str() + 5, 1);
  }
  ~ScopedSearchPath() { ::setenv("PATH", saved_.c_str(), 1); }

 private:
  std::string saved_;
};

// The host's PID of a child of `init` whose PID inside the node is `local`, from the NSpid line
// of /proc/PID/status ("NSpid: HOST ... LOCAL"). A child that exits meanwhile is simply not found.
std::optional<ProcessRef> find_child_by_local_pid(const ProcessRef& init, pid_t local) {
  std::string base = "/proc/" + std::to_string(init.pid);
  auto children = read_proc_file(base + "/task/" + std::to_string(init.pid) + "/children");
  std::istringstream list(children.value_or(""));
  pid_t child;
  while (list >> child) {
    auto status = read_proc_file("/proc/" + std::to_string(child) + "/status");
    if (!status) continue;
    auto at = status->find("\nNSpid:");
    if (at == std::string::npos) continue;
    auto end = status->find('\n', at + 1);
    auto last = status->find_last_of(" \t", end);
    if (last != std::string::npos && last > at &&
        std::strtol(status->c_str() + last + 1, nullptr, 10) == local)
      return ProcessRef::of(child);
  }
  return std::nullopt;
}

}  // namespace

pid_t spawn_command(const CommandSpec& command) {
  PreparedCommand prepared(command);
  ScopedSearchPath path(command);
  pid_t pid = prepared.start();
  if (pid < 0) throw SystemError("start", command.argv[0], -pid);
  return pid;
}

ProcessRef spawn_orphan_in_node(const ProcessRef& init, const std::string& node,
                                const CommandSpec& command) {
  PreparedCommand prepared(command);
  ScopedSearchPath path(command);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw SystemError("create pipe", "for " + command.argv[0]);
  UniqueFd report_read(report[0]), report_write(report[1]);
  pid_t local = 0;
  {
    ScopedNodeEntry entry(init, node);
    pid_t middle = ::fork();  // lands in the node's PID namespace
    if (middle < 0) throw SystemError("fork", "in node " + node);
    if (middle == 0) {
      pid_t started = prepared.start();
      (void)!::write(report_write.get(), &started, sizeof started);
      ::_exit(0);
    }
    report_write.reset();
    if (::read(report_read.get(), &local, sizeof local) != sizeof local) local = -EPIPE;
    wait_for_exit(middle);
  }
  if (local < 0) throw SystemError("start", command.argv[0], -local);
  // The middle process has been reaped, so the program is the init's child by now.
  // Found while it runs or as a zombie; once the init has reaped it, it is simply over. Which
  // of those it is depends on timing, so it must not decide anything.
  return find_child_by_local_pid(init, local).value_or(ProcessRef{});
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw SystemError("wait for", "PID " + std::to_string(pid));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

std::vector<std::string> node_environment(
    const std::string& lab, const std::string& node,
    const std::vector<std::pair<std::string, std::string>>& env, bool inherit_caller_environment) {
  std::vector<std::string> result;
  auto set = [&](const std::string& key, const std::string& value) {
    std::string prefix = key + "=";
    for (auto& variable : result)
      if (variable.rfind(prefix, 0) == 0) {
        variable = prefix + value;
        return;
      }
    result.push_back(prefix + value);
  };
  if (inherit_caller_environment) {
    for (char** variable = environ; *variable; ++variable) result.emplace_back(*variable);
  } else {
    set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    set("HOME", "/root");
    set("LANG", "C.UTF-8");
  }
  set("HOSTNAME", node);
  set("NETTOPO_LAB", lab);
  set("NETTOPO_NODE", node);
  for (const auto& [key, value] : env) set(key, value);
  return result;
}

}  // namespace nettopo
