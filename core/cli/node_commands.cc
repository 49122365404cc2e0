// exec and logs: work inside one node of a running lab.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "core/cli/command.h"
#include "core/log_writer.h"
#include "core/node_command.h"
#include "core/running_lab.h"
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

int exec(const GlobalOptions&) {
  require_root("nettopo exec", "it enters the node's namespaces");
  // A `--` right after NODE only ends nettopo's options; later ones are the command's own.
  // Without it, an option exec does not know lands here, ahead of the command.
  if (!options.command.empty() && options.command.front() == "--")
    options.command.erase(options.command.begin());
  else if (!options.command.empty() && options.command.front().starts_with('-'))
    throw UsageError("exec has no option " + options.command.front() +
                     " (nettopo's own -v and -q go before the command name: nettopo -v exec ...)");
  if (options.command.empty())
    throw UsageError("exec needs a command: nettopo exec NODE -- COMMAND");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, options.node));
  CommandSpec command;
  command.argv = options.command;
  ChildProcess child = start_in_node(lab, options.node, std::move(command), true);
  IgnoreInteractiveSignals ignore;
  return child.wait();
}

// logs: one source of output (a `run` program or the exec steps), read as it grows.
struct LogSource {
  std::string title;  // "run: CMD" or "exec steps"
  std::filesystem::path path;
  std::streamoff offset = 0;
  std::string partial;  // a last line not yet ended
  LogTimes times = {};  // when its lines were written, for --timestamps
};

struct LogsOptions {
  bool follow = false;
  bool timestamps = false;
};
LogsOptions logs_options;

volatile std::sig_atomic_t logs_stop = 0;
void stop_following(int) { logs_stop = 1; }

// "2026-11-30T00:55:12.123Z": now, for a line its log writer noted no time for (see
// log_writer.h).
std::string timestamp_now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
  return format_line_time(
      {seconds.count(),
       static_cast<int32_t>(
           std::chrono::duration_cast<std::chrono::nanoseconds>(now - seconds).count())});
}

// Prints what `source` gained since the last call; a header first when the output switches to
// another source, so program output and exec steps never mix unlabelled.
void print_new_output(LogSource& source, const std::string& node, bool labelled, bool final,
                      const LogSource*& last_printed) {
  std::ifstream file(source.path, std::ios::binary);
  if (!file) return;
  file.seekg(0, std::ios::end);
  std::streamoff size = file.tellg();
  if (size < source.offset) source.offset = 0;  // truncated: start again
  if (size == source.offset && !(final && !source.partial.empty())) return;
  file.seekg(source.offset);
  // Where `text` below begins in the file.
  auto text_offset = static_cast<uint64_t>(source.offset) - source.partial.size();
  std::string chunk(static_cast<size_t>(size - source.offset), '\0');
  file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<size_t>(file.gcount()));
  source.offset += static_cast<std::streamoff>(chunk.size());
  std::string text = source.partial + chunk;
  source.partial.clear();
  size_t complete = text.rfind('\n');
  if (!final) {
    // Hold back an unfinished line until its end comes (or the end of the output).
    source.partial = complete == std::string::npos ? text : text.substr(complete + 1);
    text = complete == std::string::npos ? "" : text.substr(0, complete + 1);
  }
  if (text.empty()) return;
  if (labelled && last_printed != &source)
    std::cout << "==> " << node << " " << source.title << " <==\n";
  last_printed = &source;
  if (!logs_options.timestamps) {
    std::cout << text;
  } else {
    // Each line with the time its log writer noted as it wrote the line.
    read_log_times(source.path, source.times);
    std::string now = timestamp_now();
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find('\n', at);
      std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
      auto written = source.times.by_offset.find(text_offset + at);
      std::cout << (written == source.times.by_offset.end() ? now
                                                            : format_line_time(written->second))
                << " " << line << "\n";
      if (end == std::string::npos) break;
      at = end + 1;
    }
  }
  std::cout.flush();
}

int logs(const GlobalOptions&) {
  require_root("nettopo logs", "a lab's runtime directory is readable by root only");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, options.node));
  const topology::Node* node = lab.model.find_node(options.node);
  if (!node) throw UsageError(options.node + " is a bridge: it runs no programs");
  auto directory = lab.dir.log_dir(options.node);
  std::vector<LogSource> sources;
  for (size_t i = 0; i < node->run.size(); ++i)
    sources.push_back(
        {"run: " + node->run[i], directory / ("run-" + std::to_string(i) + ".log"), 0, "", {}});
  if (!node->exec.empty()) sources.push_back({"exec steps", directory / "exec.log", 0, "", {}});
  if (sources.empty()) {
    std::cerr << "node " << options.node << " has no programs and no exec steps\n";
    return 0;
  }
  bool labelled = sources.size() > 1;
  const LogSource* last_printed = nullptr;
  if (!logs_options.follow) {
    // Each source whole, one after the other (a program that printed nothing prints nothing).
    for (auto& source : sources)
      print_new_output(source, options.node, labelled, true, last_printed);
    return 0;
  }
  std::signal(SIGINT, stop_following);
  std::signal(SIGTERM, stop_following);
  std::signal(SIGPIPE, stop_following);
  // Until ^C, or until the lab is taken down.
  while (!logs_stop && lab.dir.exists()) {
    for (auto& source : sources)
      print_new_output(source, options.node, labelled, false, last_printed);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& source : sources) print_new_output(source, options.node, labelled, true, last_printed);
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
         // as well as `exec h1 -- ping -c1 h2`. positionals_at_end() makes every word after
         // the first positional one a positional, in order; no fallthrough, so none of it
         // reaches nettopo's own options.
         app.add_option("command", options.command, "the command and its arguments");
         app.positionals_at_end();
         app.fallthrough(false);
         app.footer(
             "Usage: nettopo exec [--lab LAB] NODE [--] COMMAND [ARGS...]\n"
             "The command gets your terminal, your environment plus the node's `env`, and runs\n"
             "in the node's PID namespace (it shows in the node's ps). nettopo exits with the\n"
             "command's exit status (127: not found, 126: not executable).\n"
             "Examples:\n  sudo nettopo exec h1 -- ping -c1 h2\n  sudo nettopo exec --lab triangle "
             "r1 -- ip route");
       },
       exec},
      {"logs", "Print the output of a node's run programs and exec steps",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab,
                        "the lab (needed only when several labs have NODE)");
         app.add_option("node", options.node, "the node")->required();
         app.add_flag("-f,--follow", logs_options.follow,
                      "keep printing output as it comes, until ^C or the lab goes down");
         app.add_flag("-t,--timestamps", logs_options.timestamps,
                      "prefix each line with the UTC time it was written");
         app.footer(
             "With several programs (or exec steps), a header names the source of what follows.\n"
             "Examples:\n  sudo nettopo logs h1\n  sudo nettopo logs -f --timestamps r1");
       },
       logs},
  };
}

}  // namespace nettopo::cli
