#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace nettopo::cli {

/// Options every command sees.
struct GlobalOptions {
  int verbosity = 0;  ///< -v info, -vv debug (every kernel operation), -vvv trace
  bool quiet = false;
  /// For a command that runs another program (exec): the words after the first `--`, verbatim,
  /// when there was one.
  std::optional<std::vector<std::string>> after_dashes;
};

/// One subcommand: its name and one-line description, how it declares its options, and what it
/// does. `run` returns the exit code; failures throw (main reports them).
struct Command {
  std::string name;
  std::string description;
  std::function<void(CLI::App&)> declare;
  std::function<int(const GlobalOptions&)> run;
  /// The first `--` after the command's name ends nettopo's arguments: what follows is handed
  /// to `run` in GlobalOptions::after_dashes, unparsed (CLI11 would read options in it).
  bool ends_at_dashes = false;
};

std::vector<Command> file_commands();    // validate, graph
std::vector<Command> lab_commands();     // up, down
std::vector<Command> node_commands();    // exec, logs
std::vector<Command> status_commands();  // status
std::vector<Command> check_commands();   // check
std::vector<Command> test_commands();    // test

/// Throws UsageError unless running as root, saying why `what` needs it.
void require_root(const std::string& what, const std::string& why);

}  // namespace nettopo::cli
