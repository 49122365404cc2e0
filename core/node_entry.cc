#include "core/node_entry.h"

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>

#include "core/sys/error.h"

extern char** environ;

namespace nettopo {
namespace {

constexpr int kNodeNamespaces = CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID;

UniqueFd open_own(const char* path) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError("open", path);
  return fd;
}

}  // namespace

ScopedNodeEntry::ScopedNodeEntry(const ProcessRef& init, const std::string& node, bool network_only) {
  static const std::pair<const char*, int> kOwn[] = {
      {"/proc/self/ns/net", CLONE_NEWNET},          {"/proc/self/ns/uts", CLONE_NEWUTS},
      {"/proc/self/ns/ipc", CLONE_NEWIPC},          {"/proc/self/ns/mnt", CLONE_NEWNS},
      {"/proc/self/ns/pid_for_children", CLONE_NEWPID}};
  int wanted = network_only ? CLONE_NEWNET : kNodeNamespaces;
  for (const auto& [path, type] : kOwn)
    if (wanted & type) original_.emplace_back(open_own(path), type);
  original_cwd_ = open_own(".");
  UniqueFd pidfd = init.open_pidfd();
  if (!pidfd) throw Error("node " + node + " is not running (its init, PID " +
                          std::to_string(init.pid) + ", is gone)");
  if (::setns(pidfd.get(), wanted) != 0)
    throw SystemError("enter the namespaces of node", node);
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

pid_t spawn_command(const CommandSpec& command) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (command.null_stdin) posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!command.output_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, command.output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  if (!command.working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, command.working_directory.c_str());

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (command.new_session) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attributes, flags);

  std::vector<char*> argv;
  for (const auto& argument : command.argv) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& variable : command.env) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);

  // posix_spawnp looks argv[0] up in the PATH of *our* environment; use the command's.
  std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  for (const auto& variable : command.env)
    if (variable.rfind("PATH=", 0) == 0) ::setenv("PATH", variable.c_str() + 5, 1);
  pid_t pid = -1;
  int error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  ::setenv("PATH", saved_path.c_str(), 1);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) throw SystemError("start", command.argv[0], error);
  return pid;
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
