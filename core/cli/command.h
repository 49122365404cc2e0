#pragma once

#include <functional>
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
};

/// One subcommand: its name and one-line description, how it declares its options, and what it
/// does. `run` returns the exit code; failures throw (main reports them).
struct Command {
  std::string name;
  std::string description;
  std::function<void(CLI::App&)> declare;
  std::function<int(const GlobalOptions&)> run;
};

std::vector<Command> file_commands();     // validate, graph
std::vector<Command> lab_commands();      // up, down
std::vector<Command> node_commands();     // exec, logs
std::vector<Command> status_commands();   // status
std::vector<Command> link_commands();     // link set, link show
std::vector<Command> capture_commands();  // capture
std::vector<Command> check_commands();    // check
std::vector<Command> test_commands();     // test

/// `--format text|json` (docs/json.md), one option for every command that lists something:
/// sets `json` for json. `--json` is kept as its short form.
void add_format_option(CLI::App& app, bool& json);

/// Throws UsageError unless running as root, saying why `what` needs it.
void require_root(const std::string& what, const std::string& why);

/// Whether output to `fd` may be coloured: a terminal, TERM is not "dumb", NO_COLOR is unset.
bool colour_on(int fd);

}  // namespace nettopo::cli
