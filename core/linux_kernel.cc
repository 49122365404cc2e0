#include "core/linux_kernel.h"

#include <linux/sockios.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <deque>
#include <fstream>
#include <map>

#include "core/host_limits.h"
#include "core/init_spawner.h"
#include "core/journal.h"
#include "core/link_state.h"
#include "core/log_writer.h"
#include "core/netns_names.h"
#include "core/node_command.h"
#include "core/runtime_dir.h"
#include "core/scoped_node_entry.h"
#include "core/sys/error.h"
#include "netlink/address.h"
#include "netlink/bpf_filter.h"
#include "netlink/bridge.h"
#include "netlink/link.h"
#include "netlink/qdisc.h"
#include "netlink/route.h"
#include "netlink/sysctl.h"
#include "netlink/veth.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

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

}  // namespace

LinuxKernel::LinuxKernel(const topology::Lab& lab, const LabPlan& plan, const RuntimeDir& dir,
                         Journal& journal, std::string token, LabFiles files,
                         std::filesystem::path init_binary, std::chrono::milliseconds ready_timeout)
    : lab_(lab),
      plan_(plan),
      dir_(dir),
      journal_(journal),
      token_(std::move(token)),
      files_(std::move(files)),
      init_binary_(std::move(init_binary)),
      ready_timeout_(ready_timeout),
      inits_(plan.namespaces.size()),
      sockets_(plan.namespaces.size()) {}

LinuxKernel::~LinuxKernel() = default;

std::string LinuxKernel::who(size_t ns) const {
  const auto& owner = plan_.namespaces[ns];
  return (owner.is_bridge ? "bridge " : "node ") + owner.name;
}

void LinuxKernel::apply(const step::WriteRuntimeFiles&) { files_.write_runtime_files(); }

void LinuxKernel::apply(const step::StartNamespace& step) {
  if (!spawner_)
    spawner_ =
        std::make_unique<InitSpawner>(init_binary_, lab_.name, token_, [&](uint32_t ns, pid_t pid) {
          auto process = ProcessRef::of(pid);
          if (!process) throw Error("node " + plan_.namespaces[ns].name + ": init exited at once");
          journal_.record_init(plan_.namespaces[ns].name, *process);
          inits_[ns] = *process;
        });
  const auto& ns = plan_.namespaces[step.ns];
  std::vector<std::string> arguments =
      ns.is_bridge ? std::vector<std::string>{"--lab", lab_.name, "--node",
                                              ns.name, "--index", std::to_string(step.ns)}
                   : files_.node_init_arguments(step.ns);
  spawner_->spawn({static_cast<uint32_t>(step.ns), ns.clone_flags, std::move(arguments)});
}

void LinuxKernel::wait_for_namespaces() {
  if (!spawner_) return;
  spawner_->finish();
  spawner_->wait_ready(plan_.namespaces.size(), ready_timeout_,
                       [&](uint32_t ns) { return plan_.namespaces[ns].name; });
  spawner_.reset();
  // The namespace handle is needed only to open the socket inside: afterwards the socket stands
  // for the namespace (netns_of), and a lab holds one descriptor per namespace, not two.
  for (size_t ns = 0; ns < inits_.size(); ++ns)
    sockets_[ns] = netlink::Socket::open_in(
        open_namespace("/proc/" + std::to_string(inits_[ns].pid) + "/ns/net"));
}

UniqueFd LinuxKernel::netns_of(size_t ns) const {
  UniqueFd netns(::ioctl(sockets_.at(ns)->fd(), SIOCGSKNS));
  if (!netns) throw SystemError(who(ns) + ": get the network namespace of its socket", "");
  return netns;
}

void LinuxKernel::apply(const step::NameNamespace& step) {
  // Everything is journaled here, before the naming thread starts: it writes no journal itself.
  if (names_pending_.empty()) journal_.record_netns_dir(dir_.netns_dir().string());
  journal_.record_netns(netns_name(lab_.name, plan_.namespaces[step.ns].name));
  names_pending_.push_back(step.ns);
}

// Naming is mount work and runs beside the netlink work that follows it; it starts with the
// first step that is not a name.
void LinuxKernel::start_naming() {
  if (names_pending_.empty() || naming_.joinable()) return;
  naming_ = std::jthread([this] {
    try {
      std::string mounts = dir_.netns_dir().string();
      prepare_netns_names(mounts);
      for (size_t ns : names_pending_) {
        const std::string& node = plan_.namespaces[ns].name;
        create_netns_name(mounts, node, netns_of(ns).get(), netns_name(lab_.name, node));
      }
    } catch (...) {
      naming_failure_ = std::current_exception();
    }
  });
}

void LinuxKernel::finish_naming() {
  start_naming();
  if (naming_.joinable()) naming_.join();
  names_pending_.clear();
  if (naming_failure_) std::rethrow_exception(std::exchange(naming_failure_, nullptr));
}

void LinuxKernel::leave_namespace() { entered_.reset(); }

netlink::Socket& LinuxKernel::socket(size_t ns) { return *sockets_.at(ns); }

void LinuxKernel::apply(const step::WriteSysctl& step) {
  start_naming();
  // /proc/sys/net resolves in the writer's network namespace. Consecutive sysctls of one
  // namespace share one visit.
  const auto& sysctl = plan_.sysctls[step.sysctl];
  if (!entered_ || entered_ns_ != sysctl.owner) {
    entered_.reset();
    entered_.emplace(netns_of(sysctl.owner));
    entered_ns_ = sysctl.owner;
  }
  try {
    // Through the node's own procfs: through the host's, every lookup costs O(namespaces)
    // (netlink::write_sysctl_via). A bridge shares the host's mounts.
    if (plan_.namespaces[sysctl.owner].is_bridge)
      netlink::write_sysctl(sysctl.key, sysctl.value);
    else
      netlink::write_sysctl_via("/proc/" + std::to_string(inits_[sysctl.owner].pid) + "/root/proc",
                                sysctl.key, sysctl.value);
  } catch (const SystemError& error) {
    throw SystemError(who(sysctl.owner) + ": " + error.operation(), error.object(),
                      error.error_number(),
                      error.error_number() == ENOENT ? "this kernel has no such setting" : "");
  }
}

void LinuxKernel::apply(const step::CreateBridge& step) {
  leave_namespace();
  start_naming();
  const auto& ns = plan_.namespaces[step.ns];
  netlink::BridgeSpec bridge{ns.bridge_device, 2, -1, std::nullopt, false};
  if (ns.stp) {
    // The kernel's least forward delay with STP on: a port forwards 4 s after it comes up
    // (listening, then learning) instead of 30 s. The root's hellos (every 2 s) reach every
    // bridge within that time, so the loop has its blocked port before anything forwards.
    bridge.stp = true;
    bridge.forward_delay_cs = netlink::kMinStpForwardDelay;
    spdlog::info("bridge {}: spanning tree on (stp = true), forward delay {} s", ns.name,
                 netlink::kMinStpForwardDelay / 100);
  }
  socket(step.ns).submit(netlink::bridge_request(bridge),
                         "bridge " + ns.name + ": create " + ns.bridge_device);
}

void LinuxKernel::apply(const step::CreateVeth& step) {
  leave_namespace();
  start_naming();
  // Both ends are created directly in their namespaces under their final names, from here:
  // nothing ever appears in nettopo's own namespace.
  if (!here_) here_ = netlink::Socket::open();
  const auto& veth = plan_.veths[step.veth];
  const auto& a = plan_.interfaces[veth.a];
  const auto& b = plan_.interfaces[veth.b];
  // The request names each namespace by a descriptor, which must stay open until the request
  // is sent: the kernel resolves it in sendmsg, which is also where rtnetlink carries it out.
  int netns_a = veth_namespaces_.emplace_back(netns_of(a.owner)).get();
  int netns_b = veth_namespaces_.emplace_back(netns_of(b.owner)).get();
  netlink::VethEnd end_a{a.name, netns_a, a.ifindex, a.mac, a.mtu};
  netlink::VethEnd end_b{b.name, netns_b, b.ifindex, b.mac, b.mtu};
  here_->submit(netlink::veth_request(end_a, end_b),
                "create veth " + plan_.namespaces[a.owner].name + ":" + a.name + " <-> " +
                    plan_.namespaces[b.owner].name + ":" + b.name);
  if (veth_namespaces_.size() + 2 > kTransientNamespaceHandles) {
    here_->flush();
    veth_namespaces_.clear();
  }
}

void LinuxKernel::apply(const step::AttachPort& step) {
  leave_namespace();
  const auto& interface = plan_.interfaces[step.interface];
  socket(interface.owner)
      .submit(netlink::link_master_request(interface.ifindex, interface.master_ifindex),
              who(interface.owner) + ": attach " + interface.name + " to " +
                  plan_.namespaces[interface.owner].bridge_device);
}

void LinuxKernel::apply(const step::AddAddress& step) {
  leave_namespace();
  const auto& interface = plan_.interfaces[step.interface];
  const auto& address = interface.addresses[step.address];
  socket(interface.owner)
      .submit(
          netlink::address_add_request(interface.ifindex, address),
          who(interface.owner) + ": add address " + address.to_string() + " to " + interface.name);
}

void LinuxKernel::apply(const step::SetUp& step) {
  leave_namespace();
  bool is_bridge_device = plan_.namespaces[step.ns].is_bridge && step.ifindex == 2;
  socket(step.ns).submit(
      netlink::link_up_request(step.ifindex, true),
      who(step.ns) + ": set " + (is_bridge_device ? std::string("bridge") : step.name) + " up");
}

void LinuxKernel::apply(const step::AddRoute& step) {
  leave_namespace();
  const auto& route = plan_.routes[step.route];
  netlink::RouteSpec spec;
  spec.destination = route.destination;
  spec.gateway = route.via;
  spec.oif = route.oif;
  spec.metric = route.metric;
  socket(route.owner)
      .submit(netlink::route_add_request(spec),
              "node " + plan_.namespaces[route.owner].name + ": add route " +
                  route.destination.to_string() +
                  (route.via ? " via " + route.via->to_string() : ""));
}

void LinuxKernel::apply(const step::AddNetem& step) {
  leave_namespace();
  const auto& interface = plan_.interfaces[step.interface];
  const auto& impairments = interface.impairments;
  netlink::NetemSpec netem;
  netem.delay_us = impairments.delay_us.value_or(0);
  netem.jitter_us = impairments.jitter_us.value_or(0);
  netem.loss_percent = impairments.loss_percent.value_or(0);
  socket(interface.owner)
      .submit(netlink::netem_request(interface.ifindex, netem),
              "node " + plan_.namespaces[interface.owner].name + ": " + interface.name +
                  ": add netem qdisc");
}

void LinuxKernel::apply(const step::AddTbf& step) {
  leave_namespace();
  const auto& interface = plan_.interfaces[step.interface];
  const auto& impairments = interface.impairments;
  netlink::TbfSpec tbf;
  tbf.rate_bytes_per_second = *impairments.rate_bits_per_second / 8;
  // With netem at the root, the rate limit goes under it (netem 1: -> tbf at 1:1).
  socket(interface.owner)
      .submit(needs_netem(impairments) ? netlink::tbf_under_netem_request(interface.ifindex, tbf)
                                       : netlink::tbf_request(interface.ifindex, tbf),
              "node " + plan_.namespaces[interface.owner].name + ": " + interface.name +
                  ": add tbf qdisc");
}

void LinuxKernel::apply(const step::AddLossFilter& step) {
  leave_namespace();
  const auto& interface = plan_.interfaces[step.interface];
  const auto& sender = plan_.interfaces[step.sender];
  double percent = *interface.impairments.loss_percent;
  std::string name = loss_filter_name(percent);
  std::string where = who(interface.owner) + ": " + interface.name;
  auto& netlink_socket = socket(interface.owner);
  netlink_socket.submit(netlink::clsact_request(interface.ifindex), where + ": add clsact qdisc");
  // The kernel takes its own reference to the program when it creates the filter; ours is kept
  // until then, the next Wait.
  loss_programs_.push_back(
      netlink::load_sched_cls_program(netlink::drop_program(percent), "nettopo_loss"));
  netlink_socket.submit(netlink::bpf_filter_request(interface.ifindex, netlink::ClsactHook::Ingress,
                                                    loss_programs_.back().get(), name),
                        where + ": attach BPF filter '" + name + "' (loss of what " +
                            plan_.namespaces[sender.owner].name + ":" + sender.name + " sends)");
}

void LinuxKernel::apply(const step::Wait& step) {
  leave_namespace();
  switch (step.what) {
    case step::Wait::kNamespaces:
      wait_for_namespaces();
      break;
    case step::Wait::kNetlink:
      start_naming();
      for (auto& each : sockets_)
        if (each) each->wait_all();
      if (here_) here_->wait_all();
      veth_namespaces_.clear();
      loss_programs_.clear();
      break;
    case step::Wait::kNames:
      finish_naming();
      break;
    case step::Wait::kExec:
      run_exec_steps();
      break;
  }
}

CommandSpec LinuxKernel::shell_command(size_t ns, const std::string& line) const {
  const auto& node = lab_.nodes.at(ns);
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", line};
  command.env = node_environment(lab_.name, node.name, node.env, false);
  command.working_directory = fs::path(lab_.source_file).parent_path().string();
  command.null_stdin = true;
  return command;
}

void LinuxKernel::apply(const step::RunExec& step) { exec_pending_.push_back(step); }

// Each node runs its steps in order, and no node waits for another: a node's next step starts
// as soon as its previous one exits 0. Each node writes to its own exec.log, so outputs never
// interleave. The first step that fails ends up; the steps still running are killed (the
// ChildProcess destructors) and the rollback removes the rest.
void LinuxKernel::run_exec_steps() {
  std::map<size_t, std::deque<step::RunExec>> queued;
  for (const auto& step : exec_pending_) queued[step.ns].push_back(step);
  exec_pending_.clear();
  // One log writer per node for all its steps, so their output stays in order in exec.log; its
  // pipe closes on our side after the node's last step (processes a step left running in the
  // background may hold it longer).
  std::map<size_t, LogPipe> logs;
  for (const auto& [ns, steps] : queued) {
    const auto& node = plan_.namespaces[ns];
    logs[ns] =
        start_log_writer(inits_[ns], node.name, init_binary_, dir_.log_dir(node.name) / "exec.log");
  }
  struct Running {
    step::RunExec step;
    ChildProcess child;
  };
  std::vector<Running> running;
  auto start_next = [&](size_t ns) {
    auto& steps = queued[ns];
    if (steps.empty()) {
      logs[ns].write_end.reset();
      return;
    }
    step::RunExec step = steps.front();
    steps.pop_front();
    const auto& node = plan_.namespaces[ns];
    const std::string& line = command_of(node, step);
    spdlog::info("node {}: {}: {}", node.name, label_of(step), line);
    ChildProcess child;
    {
      ScopedNodeEntry entry(inits_[ns], node.name);
      CommandSpec command = shell_command(ns, line);
      send_output_to(command, logs[ns].write_end);
      child = spawn(command);
    }
    running.push_back({step, std::move(child)});
  };
  for (const auto& [ns, steps] : queued) start_next(ns);
  std::vector<pollfd> fds;
  while (!running.empty()) {
    fds.clear();
    for (const auto& each : running) fds.push_back({each.child.pidfd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;  // a ^C is acted on between phases
      throw SystemError("wait for", "exec steps");
    }
    for (size_t i = fds.size(); i-- > 0;) {
      if (!fds[i].revents) continue;
      Running done = std::move(running[i]);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      int status = done.child.wait();
      const auto& node = plan_.namespaces[done.step.ns];
      if (status != 0) {
        // What the step wrote is in the pipe; the tail is read once the writer has it all.
        logs[done.step.ns].write_end.reset();
        wait_for_writer(logs[done.step.ns].writer, 1000);
        std::string message = "node " + node.name + ": " + label_of(done.step) + " `" +
                              command_of(node, done.step) + "` exited with status " +
                              std::to_string(status) +
                              tail_of(dir_.log_dir(node.name) / "exec.log", 10);
        // A ready step waits on the node's daemons: what they said is why it failed, and the
        // rollback is about to remove their logs.
        if (done.step.ready) {
          for (size_t program = 0; program < node.run.size(); ++program) {
            auto log = dir_.log_dir(node.name) / ("run-" + std::to_string(program) + ".log");
            std::string said = tail_of(log, 5);
            if (!said.empty()) message += "\n`" + node.run[program] + "` said:" + said;
          }
        }
        throw Error(message);
      }
      start_next(done.step.ns);
    }
  }
}

void LinuxKernel::apply(const step::StartProgram& step) {
  const auto& node = plan_.namespaces[step.ns];
  fs::path log = dir_.log_dir(node.name) / ("run-" + std::to_string(step.index) + ".log");
  CommandSpec command = shell_command(step.ns, node.run[step.index]);
  command.new_session = true;
  // Through a log writer, which notes when each line was written (log_writer.h).
  ProcessRef process =
      spawn_logged_orphan_in_node(inits_[step.ns], node.name, init_binary_, command, log);
  journal_.record_program(node.name, static_cast<int>(step.index), process);
  spdlog::info("node {}: started `{}` (PID {})", node.name, node.run[step.index], process.pid);
}

}  // namespace nettopo
