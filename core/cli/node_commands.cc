// exec and logs: work inside one node of a running lab.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/cli/command.h"
#include "core/node_command.h"
#include "core/running_lab.h"
#include "core/scoped_node_entry.h"
#include "core/sys/error.h"

namespace nettopo::cli {
namespace {

struct NodeOptions {
  std::optional<std::string> lab;
  std::string node;
  std::vector<std::string> command;
};
NodeOptions options;

// While the command runs, ^C and ^\ belong to it (it shares our terminal's process group),
// not to us: like system(3), we ignore them until it ends.
class IgnoreInteractiveSignals {
 public:
  IgnoreInteractiveSignals() {
    interrupt_ = std::signal(SIGINT, SIG_IGN);
    quit_ = std::signal(SIGQUIT, SIG_IGN);
  }
  ~IgnoreInteractiveSignals() {
    std::signal(SIGINT, interrupt_);
    std::signal(SIGQUIT, quit_);
  }

 private:
  void (*interrupt_)(int);
  void (*quit_)(int);
};

int exec(const GlobalOptions& global) {
  require_root("nettopo exec", "it enters the node's namespaces");
  // With no fallthrough, an option exec does not know lands here, ahead of the command.
  if (!options.command.empty() && options.command.front().starts_with('-'))
    throw UsageError("exec has no option " + options.command.front() +
                     " (nettopo's own -v and -q go before the command name: nettopo -v exec ...)");
  if (global.after_dashes) {
    // A `--` after the command's first word is one of its arguments; before it, it only ended
    // nettopo's options.
    if (!options.command.empty()) options.command.push_back("--");
    options.command.insert(options.command.end(), global.after_dashes->begin(),
                           global.after_dashes->end());
  }
  if (options.command.empty())
    throw UsageError("exec needs a command: nettopo exec NODE -- COMMAND");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, options.node));
  auto init = lab.init_of(options.node);
  if (!init) throw Error("lab " + lab.dir.lab() + " has no running init for " + options.node);
  const topology::Node* node = lab.model.find_node(options.node);
  std::vector<std::pair<std::string, std::string>> no_env;

  CommandSpec command;
  command.argv = options.command;
  command.env = node_environment(lab.dir.lab(), options.node, node ? node->env : no_env, true);
  std::error_code error;
  std::string cwd = std::filesystem::current_path(error).string();

  ChildProcess child;
  {
    ScopedNodeEntry entry(*init, options.node, /*network_only=*/node == nullptr);
    // The caller's directory, when the node sees it too (it shares the host's files).
    if (!cwd.empty() && ::access(cwd.c_str(), X_OK) == 0) command.working_directory = cwd;
    try {
      child = spawn(command);
    } catch (const SystemError& failure) {
      // Like a shell: 127 when the command is not found, 126 when it cannot be run.
      throw ExitStatusError(failure.what(), failure.error_number() == ENOENT ? 127 : 126);
    }
  }
  IgnoreInteractiveSignals ignore;
  return child.wait();
}

int logs(const GlobalOptions&) {
  require_root("nettopo logs", "a lab's runtime directory is readable by root only");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, options.node));
  const topology::Node* node = lab.model.find_node(options.node);
  if (!node) throw UsageError(options.node + " is a bridge: it runs no programs");
  auto directory = lab.dir.log_dir(options.node);
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  for (size_t i = 0; i < node->run.size(); ++i)
    files.push_back({"run: " + node->run[i], directory / ("run-" + std::to_string(i) + ".log")});
  if (!node->exec.empty()) files.push_back({"exec steps", directory / "exec.log"});
  if (files.empty()) {
    std::cerr << "node " << options.node << " has no programs and no exec steps\n";
    return 0;
  }
  for (const auto& [title, path] : files) {
    if (files.size() > 1) std::cout << "==> " << options.node << " " << title << " <==\n";
    std::ifstream file(path);
    std::cout << file.rdbuf();
    std::cout.flush();
  }
  return 0;
}

}  // namespace

std::vector<Command> node_commands() {
  return {
      {"exec", "Run a command inside a node: its network, hostname, /etc/hosts, processes",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab,
                        "the lab (needed only when several labs have NODE)");
         app.add_option("node", options.node, "the node (or bridge: its network namespace only)")
             ->required();
         // Everything after NODE is the command, options included: `exec h1 ping -c1 h2` works
         // as well as `exec h1 -- ping -c1 h2` (main hands over what follows the first `--`).
         // prefix_command() stops parsing at the command's first word and keeps the rest, in
         // order, in remaining(); no fallthrough, so none of it reaches nettopo's own options.
         app.prefix_command();
         app.fallthrough(false);
         app.callback([&app] { options.command = app.remaining(); });
         app.footer(
             "Usage: nettopo exec [--lab LAB] NODE [--] COMMAND [ARGS...]\n"
             "The command gets your terminal, your environment plus the node's `env`, and runs\n"
             "in the node's PID namespace (it shows in the node's ps). nettopo exits with the\n"
             "command's exit status (127: not found, 126: not executable).\n"
             "Examples:\n  sudo nettopo exec h1 -- ping -c1 h2\n  sudo nettopo exec --lab triangle "
             "r1 -- ip route");
       },
       exec, /*ends_at_dashes=*/true},
      {"logs", "Print the output of a node's run programs and exec steps",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab,
                        "the lab (needed only when several labs have NODE)");
         app.add_option("node", options.node, "the node")->required();
         app.footer("Example: sudo nettopo logs h1");
       },
       logs},
  };
}

}  // namespace nettopo::cli
