#include "core/lab_up.h"

#include <fcntl.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/host_limits.h"
#include "core/host_paths.h"
#include "core/hosts_file.h"
#include "core/journal.h"
#include "core/lab_plan.h"
#include "core/lab_teardown.h"
#include "core/linux_kernel.h"
#include "core/node_mounts.h"
#include "core/plan_executor.h"
#include "core/runtime_dir.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"
#include "netlink/qdisc.h"
#include "topology/lab_json.h"
#include "topology/routing/daemon_setup.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// A node of kind frr or bird runs the host's FRR or BIRD: without it, say which package to
// install before anything is built.
void check_daemons_installed(const topology::Lab& lab) {
  for (const auto& node : lab.nodes) {
    using topology::RoutingDaemon;
    if (node.daemon == RoutingDaemon::None) continue;
    bool frr = node.daemon == RoutingDaemon::Frr;
    const char* program = frr ? topology::kFrrZebra : topology::kBirdBinary;
    if (::access(program, X_OK) != 0)
      throw UsageError("node " + node.name + " has kind " + node.kind + ", which runs " +
                       (frr ? "FRR" : "BIRD") + ", but " + program +
                       " is not installed: install the Debian package " + (frr ? "frr" : "bird2") +
                       " (apt-get install " + (frr ? "frr" : "bird2") + ")");
  }
}

constexpr double kLockTimeoutSeconds = 10;

// The init's arguments for a node: its identity, and the mounts that make the node's view.
std::vector<std::string> node_init_arguments(const topology::Lab& lab, const topology::Node& node,
                                             uint32_t index, const RuntimeDir& dir,
                                             Journal& journal,
                                             const std::set<std::string>& others) {
  std::vector<std::string> arguments = {
      "--lab",      lab.name,  "--node", node.name, "--index",   std::to_string(index),
      "--hostname", node.name, "--proc", "--sys",   "--bind-ro", dir.hosts().string(),
      "/etc/hosts"};
  fs::path node_dir = dir.node_dir(node.name);
  if (!node.run.empty()) arguments.insert(arguments.end(), {"--exit-log", dir.exit_log(node.name)});
  std::error_code error;
  if (fs::exists("/etc/hostname", error)) arguments.emplace_back("--etc-hostname");
  // The node's own dirs and files go in a file of their own: a node may have any number.
  auto mounts = prepare_node_mounts(node, node_dir, journal, others);
  if (!mounts.empty()) {
    write_file(node_dir / "mounts", encode_mounts(mounts));
    arguments.insert(arguments.end(), {"--mounts", (node_dir / "mounts").string()});
  }
  return arguments;
}

LabDemand demand_of(const LabPlan& plan, const topology::Lab& lab) {
  LabDemand demand{plan.node_count, plan.namespaces.size(), 0, 0};
  for (const auto& node : lab.nodes) demand.programs += node.run.size();
  for (const auto& interface : plan.interfaces)
    if (!interface.addresses.empty()) ++demand.interfaces;
  return demand;
}

// Everything `up` makes, in the plan's order, journaled as it goes.
void build(const topology::Lab& lab, const LabPlan& plan, const UpOptions& options,
           const InterruptGuard& interrupts) {
  RuntimeDir dir(lab.name);
  dir.create();
  Journal journal = Journal::open(dir.journal());
  // Before any init exists: what lets `down` recognise this lab's inits, and `status` tell a
  // lab still being built from one whose up died.
  std::string token = make_lab_token();
  journal.record_start(token, ProcessRef::of(::getpid()).value_or(ProcessRef{::getpid(), 0}));
  std::set<std::string> others;
  for (const auto& node : lab.nodes)
    if (!node.dirs.empty() || !node.files.empty()) {
      others = mount_points_of_other_labs(lab.name);
      break;
    }
  LabFiles files;
  files.write_runtime_files = [&] {
    std::ofstream model(dir.model(), std::ios::trunc);
    topology::write_json(model, lab);  // streamed: no second copy of a large model in memory
    if (!model.flush()) throw SystemError("write", dir.model().string());
    write_file(dir.hosts(), make_hosts_file(lab));
    for (const auto& node : lab.nodes)
      if (!node.run.empty() || !node.exec.empty()) fs::create_directories(dir.log_dir(node.name));
  };
  files.node_init_arguments = [&](size_t ns) {
    return node_init_arguments(lab, lab.nodes.at(ns), static_cast<uint32_t>(ns), dir, journal,
                               others);
  };
  LinuxKernel kernel(lab, plan, dir, journal, token, std::move(files), options.init_binary,
                     options.ready_timeout);
  PhaseHooks hooks;
  // Between phases is where a ^C takes effect: each phase is short, and the rollback that
  // follows removes whatever the interrupted phase had made.
  hooks.check = [&] { interrupts.check("lab " + lab.name + ": up"); };
  hooks.on_phase = options.on_phase;
  hooks.on_phase_done = [&](const std::string& done, double seconds) {
    spdlog::info("lab {}: {} ({:.3f} s)", lab.name, done, seconds);
  };
  execute_plan(plan, kernel, hooks);
  journal.record_complete();
}

}  // namespace

void lab_up(const topology::Lab& lab, const UpOptions& options) {
  InterruptGuard interrupts;      // a ^C rolls the lab back instead of leaving half of it
  LabPlan plan = make_plan(lab);  // refuses what the kernel cannot do before anything is made,
                                  // not even the lock file
  if (plan.needs_netem()) {
    std::vector<std::string> ends;
    for (const auto& interface : plan.interfaces)
      if (needs_netem(interface.impairments))
        ends.push_back(plan.namespaces[interface.owner].name + ":" + interface.name);
    netlink::require_netem(
        fmt::format("lab {}: links with delay or jitter ({})", lab.name, fmt::join(ends, ", ")),
        "loss alone works without it");
  }
  check_daemons_installed(lab);
  check_host_limits(lab.name, demand_of(plan, lab));
  LabLock lock = LabLock::acquire(lab.name, kLockTimeoutSeconds);
  RuntimeDir dir(lab.name);
  if (dir.exists()) {
    JournalEntries journal = Journal::read(dir.journal());
    for (const auto& init : journal.inits)
      if (init.process.alive())
        throw UsageError(
            "lab " + lab.name +
            (journal.complete ? " is already up" : " is partly up (an earlier up did not finish)") +
            "; take it down first: nettopo down --lab " + lab.name);
    spdlog::warn("lab {}: removing what an earlier, unfinished run left behind", lab.name);
    teardown_lab(lab.name, options.grace);
  }
  try {
    build(lab, plan, options, interrupts);
    if (options.on_phase) options.on_phase({});
  } catch (...) {
    if (options.on_phase) options.on_phase({});
    spdlog::warn("lab {}: up failed, tearing down what was built", lab.name);
    teardown_lab(lab.name, std::chrono::milliseconds(0));
    lock.remove_file();
    throw;
  }
}

}  // namespace nettopo
