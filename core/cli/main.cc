// nettopo: turns a TOML lab file into a live network of Linux namespaces.
// This file is the one place errors are reported and exit codes are decided:
//   0 success, 1 an operation failed, 2 bad input or usage, 128 + N an operation rolled back
//   because signal N interrupted it; exec exits with its command's status.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "core/cli/command.h"
#include "core/sys/error.h"

namespace nettopo::cli {

void require_root(const std::string& what, const std::string& why) {
  if (::geteuid() != 0) throw UsageError(what + " needs root: " + why + " (run it with sudo)");
}

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void set_up_logging(const GlobalOptions& global) {
  auto logger = spdlog::stderr_color_st("nettopo");
  logger->set_pattern("nettopo: %^%l%$: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (global.quiet) level = spdlog::level::err;
  if (global.verbosity == 1) level = spdlog::level::info;
  if (global.verbosity == 2) level = spdlog::level::debug;
  if (global.verbosity >= 3) level = spdlog::level::trace;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

int run(int argc, char** argv) {
  CLI::App app{
      "nettopo: emulated networks from a TOML file, built from Linux namespaces.\n"
      "Each node gets its own network, hostname, mounts, processes and IPC; links are veth\n"
      "pairs, bridges live in namespaces of their own, and down leaves nothing behind.",
      "nettopo"};
  app.footer(
      "Typical session:\n"
      "  nettopo validate lab.toml            # check the file, list every mistake\n"
      "  sudo nettopo up lab.toml             # build the lab, start its programs, return\n"
      "  sudo nettopo exec node1 -- ping node2\n"
      "  sudo nettopo status\n"
      "  sudo nettopo down lab.toml           # stop everything, remove everything\n"
      "Run 'nettopo COMMAND --help' for a command's options. Format: docs/topology.md");
  app.require_subcommand(1);
  app.fallthrough();  // -v and -q work after the subcommand too
  GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbosity,
               "more detail on stderr: -v steps, -vv every kernel operation, -vvv everything");
  app.add_flag("-q,--quiet", global.quiet, "print only errors");
  app.set_version_flag("--version", "nettopo 0.1.0");

  std::vector<Command> commands;
  for (auto group :
       {file_commands, lab_commands, node_commands, status_commands, check_commands, test_commands})
    for (auto& command : group()) commands.push_back(std::move(command));
  for (const auto& command : commands)
    command.declare(*app.add_subcommand(command.name, command.description));

  // CLI11 parses in reverse order from a vector; split off what follows `--` for commands
  // that run another program before it sees anything.
  std::vector<std::string> arguments(argv + 1, argv + argc);
  auto name = std::find_if(arguments.begin(), arguments.end(),
                           [](const std::string& word) { return !word.starts_with('-'); });
  auto chosen = std::find_if(commands.begin(), commands.end(), [&](const Command& command) {
    return name != arguments.end() && command.name == *name;
  });
  if (chosen != commands.end() && chosen->ends_at_dashes) {
    auto dashes = std::find(name, arguments.end(), "--");
    if (dashes != arguments.end()) {
      global.after_dashes.emplace(dashes + 1, arguments.end());
      arguments.erase(dashes, arguments.end());
    }
  }
  std::reverse(arguments.begin(), arguments.end());
  try {
    app.parse(arguments);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  }
  set_up_logging(global);
  for (const auto& command : commands)
    if (app.got_subcommand(command.name)) return command.run(global);
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace
}  // namespace nettopo::cli

int main(int argc, char** argv) {
  try {
    int status = nettopo::cli::run(argc, argv);
    // A full disk or a closed pipe must not pass for a complete `graph > lab.dot`.
    if (!std::cout.flush()) throw nettopo::Error("write standard output: the output is incomplete");
    return status;
  } catch (const nettopo::ExitStatusError& error) {
    std::cerr << "nettopo: error: " << error.what() << "\n";
    return error.status();
  } catch (const nettopo::UsageError& error) {
    std::cerr << "nettopo: error: " << error.what() << "\n";
    return nettopo::cli::kExitUsage;
  } catch (const std::exception& error) {
    std::cerr << "nettopo: error: " << error.what() << "\n";
    return nettopo::cli::kExitFailure;
  }
}
