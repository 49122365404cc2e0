// up and down: make a lab and remove it.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>

#include "core/cli/check_command.h"
#include "core/cli/command.h"
#include "core/cli/diagnostics_report.h"
#include "core/init_spawner.h"
#include "core/lab_plan.h"
#include "core/lab_teardown.h"
#include "core/lab_up.h"
#include "core/running_lab.h"
#include "core/runtime_dir.h"
#include "core/sys/error.h"
#include "topology/summary.h"

namespace nettopo::cli {
namespace {

struct LabOptions {
  std::string file;
  std::string name;
  std::optional<std::string> lab;
  bool all = false;
  bool dry_run = false;
  bool wait = false;  ///< up --wait: until every check passes
  std::string save;   ///< down --save DIR: the results directory
  double grace_seconds = 2;
};
LabOptions options;

std::chrono::milliseconds grace() {
  return std::chrono::milliseconds(static_cast<long>(options.grace_seconds * 1000));
}

void print_summary(const topology::Lab& lab, double seconds) {
  using topology::count_of;
  std::cout << fmt::format("lab {} is up: {}, {}, {} ({:.2f} s)\n", lab.name,
                           count_of(lab.nodes.size(), "node", "nodes"),
                           count_of(lab.bridges.size(), "bridge", "bridges"),
                           count_of(lab.links.size(), "link", "links"), seconds);
  std::map<std::string, std::vector<std::string>> addresses;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.kind == topology::EndpointKind::Node)
        for (const auto& address : end.addresses)
          addresses[end.owner].push_back(end.interface + " " + address.to_string());
  // A summary, not an inventory: a 1000-node lab gets its first nodes and a pointer to status.
  constexpr size_t kNodesListed = 20;
  size_t listed = lab.nodes.size() > kNodesListed + 5 ? kNodesListed : lab.nodes.size();
  size_t width = 4;
  for (size_t n = 0; n < listed; ++n) width = std::max(width, lab.nodes[n].name.size());
  for (size_t n = 0; n < listed; ++n) {
    const auto& list = addresses[lab.nodes[n].name];
    std::string text = list.empty() ? "(no addresses)" : fmt::format("{}", fmt::join(list, ", "));
    std::cout << fmt::format("  {:<{}}  {}\n", lab.nodes[n].name, width, text);
  }
  if (listed < lab.nodes.size())
    std::cout << "  ... and " << lab.nodes.size() - listed << " more nodes: nettopo status --lab "
              << lab.name << "\n";
  std::vector<std::string> stp;
  for (const auto& bridge : lab.bridges)
    if (bridge.stp) stp.push_back(bridge.name);
  if (!stp.empty())
    std::cout << "spanning tree on " << (stp.size() == 1 ? "bridge " : "bridges ")
              << fmt::format("{}", fmt::join(stp, ", "))
              << ": their ports forward a few seconds after they come up\n";
  std::cout << "run a command in a node: nettopo exec "
            << (lab.nodes.empty() ? "NODE" : lab.nodes[0].name)
            << " -- CMD; remove the lab: nettopo down --lab " << lab.name << "\n";
}

// One line of progress on stderr, rewritten in place, for a person watching a terminal: absent
// when stderr is a file or a pipe, with -q, and with -v (whose log lines say more).
class TerminalProgress {
 public:
  explicit TerminalProgress(bool wanted) : shown_(wanted && ::isatty(STDERR_FILENO)) {}
  ~TerminalProgress() { clear(); }
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  bool shown() const { return shown_; }
  void show(const std::string& line) {
    std::cerr << "\r\033[K" << line << std::flush;
    dirty_ = true;
  }
  /// Erases the line, so that what follows (the summary, a warning, an error) starts clean.
  void clear() {
    if (dirty_) std::cerr << "\r\033[K" << std::flush;
    dirty_ = false;
  }

 private:
  bool shown_;
  bool dirty_ = false;
};

int up(const GlobalOptions& global) {
  topology::Lab lab = load_or_report(options.file, options.name);
  if (options.dry_run) {
    std::cout << make_plan(lab).describe();
    return 0;
  }
  require_root("nettopo up", "it creates namespaces, network devices and mounts");
  UpOptions up_options;
  up_options.init_binary = find_init_binary();
  up_options.grace = grace();
  TerminalProgress progress(!global.quiet && global.verbosity == 0);
  if (progress.shown())
    up_options.on_phase = [&](const std::string& phase) {
      if (phase.empty())
        progress.clear();
      else
        progress.show("lab " + lab.name + ": " + phase + "...");
    };
  auto started = std::chrono::steady_clock::now();
  lab_up(lab, up_options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!global.quiet) print_summary(lab, seconds);
  if (options.wait && !lab.checks.empty()) {
    size_t failed = 0;
    for (const auto& run : run_all_checks(load_running_lab(lab.name), global.quiet))
      failed += run.passed ? 0 : 1;
    if (failed)
      throw Error("lab " + lab.name + ": " + std::to_string(failed) +
                  " check run(s) did not pass; the lab stays up to be looked at (nettopo check, "
                  "exec, logs); remove it with: nettopo down --lab " +
                  lab.name);
  }
  return 0;
}

int down_one(const std::string& name, const GlobalOptions& global) {
  auto nothing_here = [&] {
    if (!global.quiet)
      std::cout << "lab " << name << ": nothing to do, no lab " << name << " here (in "
                << runtime_base().string() << ")\n";
    return 0;
  };
  // Only what this runtime directory recorded is this lab's (down_lab says the same).
  if (!RuntimeDir(name).exists()) return nothing_here();
  if (!options.save.empty()) save_lab_results(name, options.save);  // while it is still up
  TeardownReport report = down_lab(name, grace());
  if (!report.found) return nothing_here();
  if (global.quiet) return 0;
  for (const auto& intruder : report.intruders)
    std::cout << "lab " << name << ": ended " << intruder << "\n";
  std::cout << "lab " << name << " is down ("
            << topology::count_of(report.inits_stopped, "namespace", "namespaces") << " ended"
            << (report.inits_killed
                    ? ", " + std::to_string(report.inits_killed) + " killed after the grace period"
                    : "")
            << ")\n";
  return 0;
}

int down(const GlobalOptions& global) {
  int given = (options.file.empty() ? 0 : 1) + (options.lab ? 1 : 0) + (options.all ? 1 : 0);
  if (given != 1) throw UsageError("down needs exactly one of: a lab file, --lab NAME, --all");
  require_root("nettopo down", "it ends node processes and removes mounts and namespaces");
  if (options.all && !options.save.empty())
    throw UsageError("--save keeps the results of one lab, not of --all");
  if (options.all) {
    auto labs = list_labs();
    if (labs.empty() && !global.quiet) std::cout << "nothing to do: no lab is up\n";
    for (const auto& name : labs) down_one(name, global);
    return 0;
  }
  if (options.lab) return down_one(*options.lab, global);
  // The labs built from this file, under whatever name `up --name` gave them; else the lab the
  // file names (which also reports a file that no longer reads).
  auto started = labs_started_from(options.file);
  for (const auto& name : started) down_one(name, global);
  if (!started.empty()) return 0;
  return down_one(load_or_report(options.file, options.name).name, global);
}

}  // namespace

std::vector<Command> lab_commands() {
  return {
      {"up", "Build a lab from its file, start its programs, and return while it runs",
       [](CLI::App& app) {
         app.add_option("file", options.file, "the lab file (TOML)")->required();
         app.add_option("--name,-n", options.name,
                        "lab name (default: the file's `name`, else its base name)");
         app.add_flag("--dry-run", options.dry_run,
                      "print every kernel operation up would do, and do none (no root needed)");
         app.add_flag("--wait", options.wait,
                      "then wait until every [[checks]] entry passes (each within its `within`); "
                      "exit 1 when one does not, leaving the lab up to be looked at");
         app.footer(
             "Validates the file first (same messages as validate). If any step fails, up says\n"
             "which node and step, removes everything it made, and exits non-zero.\n"
             "Exit status: 0 up, 1 a step failed (nothing left behind), 2 bad file or usage,\n"
             "128+N rolled back after signal N: 130 ^C, 143 SIGTERM, 129 SIGHUP, 141 the\n"
             "output pipe closed (SIGPIPE) before the lab was up.\n"
             "Example: sudo nettopo up examples/triangle.toml");
       },
       up},
      {"down", "Stop a lab's programs and remove every trace of it",
       [](CLI::App& app) {
         app.add_option("file", options.file, "the lab file it was started from");
         app.add_option("--lab,-l", options.lab, "the lab's name instead of its file");
         app.add_flag("--all", options.all, "every running lab");
         app.add_option("--save", options.save,
                        "first keep the lab's results in this directory: [collect], program "
                        "logs, lab.json (docs/experiments.md)");
         app.add_option("--grace", options.grace_seconds,
                        "seconds programs get after SIGTERM before SIGKILL")
             ->check(CLI::Range(0.0, 3600.0))
             ->capture_default_str();
         app.footer(
             "A lab file takes down every lab up built from it, also under an up --name.\n"
             "Idempotent: down on a lab that is not up succeeds and says so. Also cleans a lab\n"
             "whose up was killed halfway. Ends, and names, every process that entered one of\n"
             "the lab's namespaces from outside (ip netns exec, nsenter, exec into a bridge).\n"
             "Examples: sudo nettopo down examples/triangle.toml; sudo nettopo down --all");
       },
       down},
  };
}

}  // namespace nettopo::cli
