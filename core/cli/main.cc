// nettopo: turns a TOML lab file into a live network of Linux namespaces.
// This file is the one place errors are reported and exit codes are decided:
//   0 success, 1 an operation failed, 2 bad input or usage, 128 + N an operation rolled back
//   because signal N interrupted it (141: `up`'s output pipe closed); exec exits with its
//   command's status. A closed output pipe never kills nettopo: outside `up` the rest of the
//   output is dropped and the command finishes its work with its usual status.

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "core/cli/command.h"
#include "core/cli/completion.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"
#include "core/sys/open_file_limit.h"
#include "topology/suggestion.h"

namespace nettopo::cli {

void add_format_option(CLI::App& app, bool& json) {
  app.add_option_function<std::string>(
         "--format", [&json](const std::string& format) { json = format == "json"; },
         "text (default) or json (with schema_version; docs/json.md)")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--json", json, "the same as --format json");
}

void require_root(const std::string& what, const std::string& why) {
  if (::geteuid() != 0) throw UsageError(what + " needs root: " + why + " (run it with sudo)");
}

bool colour_on(int fd) {
  // https://no-color.org: present and not empty turns colour off, whatever the terminal.
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void set_up_logging(const GlobalOptions& global) {
  auto logger = spdlog::stderr_color_st(
      "nettopo", colour_on(STDERR_FILENO) ? spdlog::color_mode::always : spdlog::color_mode::never);
  logger->set_pattern("nettopo: %^%l%$: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (global.quiet) level = spdlog::level::err;
  if (global.verbosity == 1) level = spdlog::level::info;
  if (global.verbosity == 2) level = spdlog::level::debug;
  if (global.verbosity >= 3) level = spdlog::level::trace;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

std::vector<Command> all_commands() {
  std::vector<Command> commands;
  for (auto group : {file_commands, lab_commands, node_commands, status_commands, link_commands,
                     capture_commands, check_commands, test_commands})
    for (auto& command : group()) commands.push_back(std::move(command));
  return commands;
}

std::vector<std::string> names_of(const std::vector<Command>& commands) {
  std::vector<std::string> names;
  names.reserve(commands.size());
  for (const auto& command : commands) names.push_back(command.name);
  return names;
}

// What `nettopo` alone prints: enough to take the next step.
std::string short_usage(const std::vector<Command>& commands) {
  size_t width = 0;
  for (const auto& command : commands) width = std::max(width, command.name.size());
  std::string text = "usage: nettopo [-v | -q] COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& command : commands)
    text += fmt::format("  {:<{}}  {}\n", command.name, width, command.description);
  text +=
      "\nRun 'nettopo COMMAND --help' for a command's options, 'nettopo --help' for more,\n"
      "'man nettopo' for everything.\n";
  return text;
}

// The command the words name: the first word that is not one of nettopo's own options (none of
// which takes a value). Throws UsageError, with "did you mean", for a word that is no command.
void check_command_name(const std::vector<std::string>& words,
                        const std::vector<Command>& commands) {
  auto word = std::find_if(words.begin(), words.end(),
                           [](const std::string& each) { return !each.starts_with('-'); });
  if (word == words.end()) return;  // --help, --version, or CLI11 reports the missing command
  auto names = names_of(commands);
  if (std::find(names.begin(), names.end(), *word) != names.end()) return;
  std::string hint = topology::did_you_mean(*word, names);
  throw UsageError("unknown command '" + *word + "'" + (hint.empty() ? "" : "; " + hint) +
                   " (commands: " + fmt::format("{}", fmt::join(names, ", ")) + ")");
}

// What CLI11 left unparsed (allow_extras keeps it rather than failing with the words in reverse
// order), reported as one usage error: an unknown option with "did you mean", else the extras.
void check_extras(const CLI::App& app, const CLI::App& command) {
  std::vector<std::string> extras = app.remaining(true);
  std::erase(extras, "--");
  if (extras.empty()) return;
  std::string where = "nettopo " + command.get_name();
  for (const auto& extra : extras) {
    if (!extra.starts_with('-') || extra.size() < 2) continue;
    std::vector<std::string> known;
    for (const CLI::App* scope : {&command, &app})
      for (const CLI::Option* option : scope->get_options()) {
        for (const auto& name : option->get_lnames()) known.push_back("--" + name);
        for (const auto& name : option->get_snames()) known.push_back("-" + name);
      }
    std::string name = extra.substr(0, extra.find('='));
    if (app.get_option_no_throw(name) != nullptr)  // exec reads none of nettopo's own options
      throw UsageError(fmt::format(
          "{0} is nettopo's own option: put it before the command (nettopo {0} {1} ...)", name,
          command.get_name()));
    std::string hint = topology::did_you_mean(name, known);
    throw UsageError(fmt::format("{0} has no option {1}{2} (see {0} --help)", where, name,
                                 hint.empty() ? "" : "; " + hint));
  }
  throw UsageError(where + " does not take " + fmt::format("'{}'", fmt::join(extras, "' '")) +
                   " (see " + where + " --help)");
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
      "Run 'nettopo COMMAND --help' for a command's options; 'man nettopo' for everything,\n"
      "'man 5 nettopo-lab' for the lab file.");
  app.require_subcommand(1);
  app.fallthrough();  // -v and -q work after the subcommand too
  // Unknown words are kept and reported by check_extras, in the order they were given.
  app.allow_extras();
  GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbosity,
               "more detail on stderr: -v steps, -vv every kernel operation, -vvv everything");
  app.add_flag("-q,--quiet", global.quiet, "print only errors");
  app.set_version_flag("--version", "nettopo " NETTOPO_VERSION);

  std::vector<Command> commands = all_commands();
  for (const auto& command : commands) {
    CLI::App* subcommand = app.add_subcommand(command.name, command.description);
    command.declare(*subcommand);
    subcommand->allow_extras();
  }

  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    std::cerr << short_usage(commands);
    return kExitUsage;
  }
  if (words.front() == kCompleteCommand) {
    words.erase(words.begin());
    std::cout << format_completion(complete(app, words, running_labs()));
    return 0;
  }
  check_command_name(words, commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    std::string where = "nettopo";
    for (const CLI::App* command : app.get_subcommands()) where += " " + command->get_name();
    if (error.get_name() == "RequiredError" && app.get_subcommands().empty())
      throw UsageError("no command given\n" + short_usage(commands));
    throw UsageError(std::string(error.what()) + " (see " + where + " --help)");
  }
  const CLI::App* chosen = app.get_subcommands().front();
  check_extras(app, *chosen);
  set_up_logging(global);
  for (const auto& command : commands)
    if (command.name == chosen->get_name()) return command.run(global);
  return kExitUsage;  // unreachable: require_subcommand(1)
}

// "nettopo: error: MESSAGE", with "error" coloured as the log's own errors and warnings are.
void report_error(const std::string& message) {
  bool colour = colour_on(STDERR_FILENO);
  std::cerr << "nettopo: " << (colour ? "\033[31m\033[1m" : "") << "error"
            << (colour ? "\033[m" : "") << ": " << message << "\n";
}

}  // namespace
}  // namespace nettopo::cli

int main(int argc, char** argv) {
  nettopo::catch_broken_pipe();
  nettopo::raise_open_file_limit();  // a lab holds a few files per node: core/sys/open_file_limit.h
  using nettopo::cli::report_error;
  try {
    int status = nettopo::cli::run(argc, argv);
    // A full disk must not pass for a complete `graph > lab.dot`; a reader that stopped reading
    // (`status | head -1`) only wanted less.
    if (!std::cout.flush() && !nettopo::broken_pipe_seen())
      throw nettopo::Error("write standard output: the output is incomplete");
    return status;
  } catch (const nettopo::ExitStatusError& error) {
    report_error(error.what());
    return error.status();
  } catch (const nettopo::UsageError& error) {
    report_error(error.what());
    return nettopo::cli::kExitUsage;
  } catch (const std::exception& error) {
    report_error(error.what());
    return nettopo::cli::kExitFailure;
  }
}
