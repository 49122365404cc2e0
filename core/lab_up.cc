#include "core/lab_up.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/hosts_file.h"
#include "core/journal.h"
#include "core/lab_plan.h"
#include "core/lab_teardown.h"
#include "core/linux_kernel.h"
#include "core/plan_executor.h"
#include "core/runtime_dir.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"
#include "netlink/qdisc.h"
#include "topology/lab_json.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

constexpr double kLockTimeoutSeconds = 10;

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream file(path, std::ios::trunc);
  file << content;
  if (!file.flush()) throw SystemError("write", path.string());
}

// Makes sure `path` exists on the host so that a node can mount over it, creating what is
// missing and journaling each creation first so that `down` removes exactly that. A path that
// another running lab created is journaled too, ancestors first, as shared: the last lab that
// uses it removes it, and none removes it from under another.
void ensure_mount_point(const std::string& node, const fs::path& path, bool directory,
                        Journal& journal, const std::set<std::string>& others) {
  std::error_code error;
  if (fs::exists(path, error)) {
    if (!others.count(path.string())) return;
    std::vector<fs::path> shared;
    for (fs::path at = path; others.count(at.string()); at = at.parent_path()) shared.push_back(at);
    for (auto it = shared.rbegin(); it != shared.rend(); ++it) {
      bool is_directory = *it != path || directory;
      is_directory ? journal.record_mkdir(it->string()) : journal.record_mkfile(it->string());
    }
    return;
  }
  ensure_mount_point(node, path.parent_path(), true, journal, others);
  if (directory) {
    journal.record_mkdir(path.string());
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
      throw SystemError("node " + node + ": create mount point", path.string());
  } else {
    journal.record_mkfile(path.string());
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd && errno != EEXIST)
      throw SystemError("node " + node + ": create mount point", path.string());
  }
}

// A `files` entry inside one of the node's `dirs` is copied into that private directory; no
// mount needed. Returns the directory index, or -1.
int enclosing_dir(const topology::Node& node, const fs::path& inside) {
  for (size_t i = 0; i < node.dirs.size(); ++i) {
    auto relative = inside.lexically_relative(node.dirs[i]);
    if (!relative.empty() && *relative.begin() != "..") return static_cast<int>(i);
  }
  return -1;
}

void copy_into(const std::string& node, const fs::path& source, const fs::path& destination) {
  std::error_code error;
  fs::create_directories(destination.parent_path(), error);
  fs::copy_file(source, destination, fs::copy_options::overwrite_existing, error);
  if (error)
    throw SystemError("node " + node + ": copy " + source.string() + " to", destination.string(),
                      error.value());
}

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
  std::error_code error;
  if (fs::exists("/etc/hostname", error)) {
    write_file(dir.hostname_file(node.name), node.name + "\n");
    arguments.insert(arguments.end(),
                     {"--bind-ro", dir.hostname_file(node.name).string(), "/etc/hostname"});
  }
  for (size_t i = 0; i < node.dirs.size(); ++i) {
    fs::path backing = node_dir / "dirs" / std::to_string(i);
    fs::create_directories(backing);
    ensure_mount_point(node.name, node.dirs[i], true, journal, others);
    arguments.insert(arguments.end(), {"--bind", backing.string(), node.dirs[i]});
  }
  for (size_t i = 0; i < node.files.size(); ++i) {
    const auto& file = node.files[i];
    int inside = enclosing_dir(node, file.inside_path);
    if (inside >= 0) {
      auto relative = fs::path(file.inside_path).lexically_relative(node.dirs[inside]);
      copy_into(node.name, file.source_path, node_dir / "dirs" / std::to_string(inside) / relative);
      continue;
    }
    fs::path copy = node_dir / "files" / std::to_string(i);
    copy_into(node.name, file.source_path, copy);
    ensure_mount_point(node.name, file.inside_path, false, journal, others);
    arguments.insert(arguments.end(), {"--bind", copy.string(), file.inside_path});
  }
  return arguments;
}

// Everything `up` makes, in the plan's order, journaled as it goes.
void build(const topology::Lab& lab, const LabPlan& plan, const UpOptions& options,
           const InterruptGuard& interrupts) {
  RuntimeDir dir(lab.name);
  dir.create();
  Journal journal = Journal::open(dir.journal());
  std::set<std::string> others;
  for (const auto& node : lab.nodes)
    if (!node.dirs.empty() || !node.files.empty()) {
      others = mount_points_of_other_labs(lab.name);
      break;
    }
  LabFiles files;
  files.write_runtime_files = [&] {
    write_file(dir.model(), topology::to_json(lab).dump(2) + "\n");
    write_file(dir.hosts(), make_hosts_file(lab));
    for (const auto& node : lab.nodes)
      if (!node.run.empty() || !node.exec.empty()) fs::create_directories(dir.log_dir(node.name));
  };
  files.node_init_arguments = [&](size_t ns) {
    return node_init_arguments(lab, lab.nodes.at(ns), static_cast<uint32_t>(ns), dir, journal,
                               others);
  };
  LinuxKernel kernel(lab, plan, dir, journal, std::move(files), options.init_binary,
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
  if (plan.needs_netem() && !netlink::netem_available()) {
    std::string ends;
    for (const auto& interface : plan.interfaces)
      if (interface.impairments.needs_netem())
        ends += (ends.empty() ? "" : ", ") + plan.namespaces[interface.owner].name + ":" +
                interface.name;
    throw Error("lab " + lab.name + ": links with delay, jitter or loss (" + ends +
                ") need the netem qdisc, and this kernel has no netem qdisc "
                "(CONFIG_NET_SCH_NETEM)");
  }
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
    teardown_lab(lab.name, std::chrono::milliseconds(0), /*search_processes=*/false);
    lock.remove_file();
    throw;
  }
}

}  // namespace nettopo
