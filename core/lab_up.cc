#include "core/lab_up.h"

#include <fcntl.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/host_limits.h"
#include "core/host_paths.h"
#include "core/hosts_file.h"
#include "core/init/spawn_protocol.h"
#include "core/init_spawner.h"
#include "core/journal.h"
#include "core/lab_plan.h"
#include "core/lab_teardown.h"
#include "core/node_entry.h"
#include "core/node_mounts.h"
#include "core/plan_executor.h"
#include "core/runtime_dir.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"
#include "core/sys/scoped_netns.h"
#include "netlink/qdisc.h"
#include "topology/lab_json.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

constexpr int kNodeNamespaces =
    CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC;
constexpr double kLockTimeoutSeconds = 10;
const std::string kNetnsNames = "/run/netns";  // where `ip netns` looks

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
  if (fs::exists("/etc/hostname", error)) {
    write_file(dir.hostname_file(node.name), node.name + "\n");
    arguments.insert(arguments.end(),
                     {"--bind-ro", dir.hostname_file(node.name).string(), "/etc/hostname"});
  }
  // The node's own dirs and files go in a file of their own: a node may have any number.
  auto mounts = prepare_node_mounts(node, node_dir, journal, others);
  if (!mounts.empty()) {
    write_file(node_dir / "mounts", encode_mounts(mounts));
    arguments.insert(arguments.end(), {"--mounts", (node_dir / "mounts").string()});
  }
  return arguments;
}

std::string tail_of(const fs::path& path, size_t max_lines) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(file, line)) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string text;
  for (const auto& each : lines) text += "\n  | " + each;
  return text;
}

LabDemand demand_of(const LabPlan& plan, const topology::Lab& lab) {
  LabDemand demand{plan.node_count, plan.namespaces.size(), 0, 0};
  for (const auto& node : lab.nodes) demand.programs += node.run.size();
  for (const auto& interface : plan.interfaces)
    if (!interface.addresses.empty()) ++demand.interfaces;
  return demand;
}

class LabBuilder {
 public:
  LabBuilder(const topology::Lab& lab, const UpOptions& options, const InterruptGuard& interrupts)
      : lab_(lab),
        options_(options),
        interrupts_(interrupts),
        dir_(lab.name),
        journal_(open_runtime_dir()) {}

  void build(const LabPlan& plan) {
    std::string namespaces = std::to_string(namespace_count()) + " namespaces";
    timed("writing runtime files", "runtime files written", [&] { write_runtime_files(); });
    timed("creating " + namespaces, namespaces + " ready", [&] { start_inits(); });
    timed("creating links, addresses and routes",
          "links, addresses, routes and qdiscs in place, namespaces named under /run/netns",
          [&] { apply_network_plan_while_naming(plan); });
    timed("running exec steps", "exec steps done", [&] { run_exec_steps(); });
    timed("starting programs", "programs started", [&] { start_programs(); });
    interrupts_.check("lab " + lab_.name + ": up");
    journal_.record_complete();
  }

 private:
  Journal open_runtime_dir() {
    dir_.create();
    Journal journal = Journal::open(dir_.journal());
    // Before any init exists: what lets `down` recognise this lab's inits, and `status` tell a
    // lab still being built from one whose up died.
    journal.record_start(token_, ProcessRef::of(::getpid()).value_or(ProcessRef{::getpid(), 0}));
    return journal;
  }

  template <class Step>
  void timed(const std::string& doing, const std::string& done, Step step) {
    // Between phases is where a ^C takes effect: each phase is short, and the rollback that
    // follows removes whatever the interrupted phase had made.
    interrupts_.check("lab " + lab_.name + ": up");
    if (options_.on_phase) options_.on_phase(doing);
    auto started = std::chrono::steady_clock::now();
    step();
    spdlog::info("lab {}: {} ({:.3f} s)", lab_.name, done,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }

  size_t namespace_count() const { return lab_.nodes.size() + lab_.bridges.size(); }
  const std::string& name_of(size_t index) const {
    return index < lab_.nodes.size() ? lab_.nodes[index].name
                                     : lab_.bridges[index - lab_.nodes.size()].name;
  }

  void write_runtime_files() {
    std::ofstream model(dir_.model(), std::ios::trunc);
    topology::write_json(model, lab_);  // streamed: no second copy of a large model in memory
    if (!model.flush()) throw SystemError("write", dir_.model().string());
    write_file(dir_.hosts(), make_hosts_file(lab_));
    for (const auto& node : lab_.nodes)
      if (!node.run.empty() || !node.exec.empty()) fs::create_directories(dir_.log_dir(node.name));
  }

  void start_inits() {
    inits_.resize(namespace_count());
    InitSpawner spawner(options_.init_binary, lab_.name, token_, [&](uint32_t index, pid_t pid) {
      auto process = ProcessRef::of(pid);
      if (!process) throw Error("node " + name_of(index) + ": init exited at once");
      journal_.record_init(name_of(index), *process);
      inits_[index] = *process;
    });
    std::set<std::string> others;
    for (const auto& node : lab_.nodes)
      if (!node.dirs.empty() || !node.files.empty()) {
        others = mount_points_of_other_labs(lab_.name);
        break;
      }
    uint32_t index = 0;
    for (const auto& node : lab_.nodes) {
      spawner.spawn(
          {index, kNodeNamespaces, node_init_arguments(lab_, node, index, dir_, journal_, others)});
      ++index;
    }
    for (const auto& bridge : lab_.bridges) {
      spawner.spawn(
          {index,
           CLONE_NEWNET,
           {"--lab", lab_.name, "--node", bridge.name, "--index", std::to_string(index)}});
      ++index;
    }
    spawner.finish();
    spawner.wait_ready(namespace_count(), options_.ready_timeout,
                       [&](uint32_t at) { return name_of(at); });
  }

  // Naming the namespaces is mount work (the mount lock), the network plan is rtnetlink work
  // (the rtnl lock): on two cores they overlap, which saves most of the naming's time.
  void apply_network_plan_while_naming(const LabPlan& plan) {
    // Each node's sysctls go through its own procfs: through the host's, every lookup would
    // cost O(namespaces) (netlink::write_sysctl_via). A bridge shares the host's mounts.
    std::vector<std::string> proc;
    for (const auto& init : inits_) {
      netns_.push_back(open_namespace("/proc/" + std::to_string(init.pid) + "/ns/net"));
      proc.push_back("/proc/" + std::to_string(init.pid) + "/root/proc");
    }
    // Everything is journaled before the thread starts: it writes no journal itself.
    journal_.record_netns_dir(dir_.netns_dir().string());
    for (size_t i = 0; i < inits_.size(); ++i) journal_.record_netns(netns_link(i));
    std::exception_ptr naming_failure;
    {
      std::jthread naming([&] {
        try {
          name_network_namespaces();
        } catch (...) {
          naming_failure = std::current_exception();
        }
      });
      apply_network_plan(plan, netns_, proc);
    }  // joined here, also when the plan throws
    if (naming_failure) std::rethrow_exception(naming_failure);
  }

  std::string netns_link(size_t index) const {
    return kNetnsNames + "/" + lab_.name + "-" + name_of(index);
  }

  // Each node's network namespace gets a name, /run/netns/LAB-NODE, so that `ip netns exec`,
  // tcpdump and Wireshark work beside nettopo. The name is a symbolic link to a bind mount on a
  // tmpfs of the lab's own (iproute2 opens the path, so a link does): `down` then releases every
  // namespace with one unmount of that tmpfs. One unmount per name, each dropping a namespace's
  // last reference, cost 0.16 s for 1000 nodes; the tree goes in 0.01 s.
  void name_network_namespaces() const {
    fs::path mounts = dir_.netns_dir();
    if (::mkdir(mounts.c_str(), 0755) != 0) throw SystemError("create directory", mounts.string());
    if (::mount(init::kNetnsTmpfsSource, mounts.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                "mode=0755,size=64k") != 0)
      throw SystemError("mount tmpfs on", mounts.string());
    fs::create_directories(kNetnsNames);
    for (size_t i = 0; i < inits_.size(); ++i) {
      fs::path target = mounts / name_of(i);
      UniqueFd placeholder(::open(target.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
      if (!placeholder) throw SystemError("create", target.string());
      std::string own = "/proc/self/fd/" + std::to_string(netns_[i].get());
      if (::mount(own.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        throw SystemError("bind mount network namespace on", target.string());
      std::string link = netns_link(i);
      if (::symlink(target.c_str(), link.c_str()) != 0)
        throw SystemError("create", link, errno, errno == EEXIST ? owner_of_name(link) : "");
    }
  }

  // Who holds a /run/netns name this lab wanted: another lab (its link leads to
  // RUNTIME/LAB/netns/NODE, whatever its runtime directory), or something else.
  static std::string owner_of_name(const std::string& link) {
    std::error_code error;
    fs::path target = fs::read_symlink(link, error);
    if (!error && target.parent_path().filename() == "netns")
      return "lab " + target.parent_path().parent_path().filename().string() + " has that name";
    return "another tool has that name (ip netns add?)";
  }

  CommandSpec shell_command(const topology::Node& node, const std::string& line,
                            const fs::path& output) const {
    CommandSpec command;
    command.argv = {"/bin/sh", "-c", line};
    command.env = node_environment(lab_.name, node.name, node.env, false);
    command.working_directory = fs::path(lab_.source_file).parent_path().string();
    command.output_file = output.string();
    command.null_stdin = true;
    return command;
  }

  void run_exec_steps() {
    for (size_t i = 0; i < lab_.nodes.size(); ++i) {
      const auto& node = lab_.nodes[i];
      fs::path log = dir_.log_dir(node.name) / "exec.log";
      for (size_t step = 0; step < node.exec.size(); ++step) {
        spdlog::info("node {}: exec step {}: {}", node.name, step + 1, node.exec[step]);
        pid_t pid;
        {
          ScopedNodeEntry entry(inits_[i], node.name);
          pid = spawn_command(shell_command(node, node.exec[step], log));
        }
        int status = wait_for_exit(pid);
        if (status != 0)
          throw Error("node " + node.name + ": exec step " + std::to_string(step + 1) + " `" +
                      node.exec[step] + "` exited with status " + std::to_string(status) +
                      tail_of(log, 10));
      }
    }
  }

  void start_programs() {
    for (size_t i = 0; i < lab_.nodes.size(); ++i) {
      const auto& node = lab_.nodes[i];
      for (size_t index = 0; index < node.run.size(); ++index) {
        fs::path log = dir_.log_dir(node.name) / ("run-" + std::to_string(index) + ".log");
        CommandSpec command = shell_command(node, node.run[index], log);
        command.new_session = true;
        ProcessRef process = spawn_orphan_in_node(inits_[i], node.name, command);
        journal_.record_program(node.name, static_cast<int>(index), process);
        if (process.pid == 0)
          spdlog::info("node {}: started `{}`, which has already exited", node.name,
                       node.run[index]);
        else
          spdlog::info("node {}: started `{}` (PID {})", node.name, node.run[index], process.pid);
      }
    }
  }

  const topology::Lab& lab_;
  const UpOptions& options_;
  const InterruptGuard& interrupts_;
  RuntimeDir dir_;
  std::string token_ = make_lab_token();
  Journal journal_;
  std::vector<ProcessRef> inits_;
  std::vector<UniqueFd> netns_;
};

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
    LabBuilder(lab, options, interrupts).build(plan);
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
