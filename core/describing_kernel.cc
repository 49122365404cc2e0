#include "core/describing_kernel.h"

#include <sched.h>

#include "core/link_state.h"
#include "core/netns_names.h"
#include "netlink/bridge.h"

namespace nettopo {
namespace {

std::string namespace_kinds(int flags) {
  static const std::pair<int, const char*> kKinds[] = {{CLONE_NEWNET, "net"},
                                                       {CLONE_NEWUTS, "uts"},
                                                       {CLONE_NEWNS, "mnt"},
                                                       {CLONE_NEWPID, "pid"},
                                                       {CLONE_NEWIPC, "ipc"}};
  std::string text;
  for (const auto& [flag, name] : kKinds)
    if (flags & flag) text += (text.empty() ? "" : " ") + std::string(name);
  return text;
}

}  // namespace

void DescribingKernel::line(const std::string& owner, const std::string& what) {
  out_ += owner + ": " + what + "\n";
}

void DescribingKernel::apply(const step::WriteRuntimeFiles&) {
  line("lab " + plan_.lab, "write runtime files (model, hosts file, log directories)");
}

void DescribingKernel::apply(const step::StartNamespace& step) {
  const auto& ns = plan_.namespaces[step.ns];
  if (ns.is_bridge) {
    line(step.ns, "new network namespace (bridge holder)");
    return;
  }
  line(step.ns, "new namespaces: " + namespace_kinds(ns.clone_flags) + "; init as PID 1");
  for (const auto& dir : ns.dirs) line(step.ns, "private directory " + dir);
  for (const auto& [source, inside] : ns.files)
    line(step.ns, std::string("file ").append(inside).append(" from ").append(source));
}

void DescribingKernel::apply(const step::NameNamespace& step) {
  line(step.ns, "name network namespace " + netns_name(plan_.lab, plan_.namespaces[step.ns].name));
}

void DescribingKernel::apply(const step::WriteSysctl& step) {
  const auto& sysctl = plan_.sysctls[step.sysctl];
  line(sysctl.owner, "sysctl " + sysctl.key + "=" + sysctl.value);
}

void DescribingKernel::apply(const step::CreateBridge& step) {
  const auto& ns = plan_.namespaces[step.ns];
  line(step.ns, "create bridge " + ns.bridge_device + " ifindex 2" +
                    (ns.stp ? ", stp on, forward delay " +
                                  std::to_string(netlink::kMinStpForwardDelay / 100) + " s"
                            : ""));
}

void DescribingKernel::apply(const step::CreateVeth& step) {
  const auto& veth = plan_.veths[step.veth];
  const auto& a = plan_.interfaces[veth.a];
  const auto& b = plan_.interfaces[veth.b];
  auto end = [](const PlannedInterface& interface) {
    return "(ifindex " + std::to_string(interface.ifindex) +
           (interface.mac ? ", mac " + interface.mac->to_string() : "") + ")";
  };
  line(a.owner, "create veth " + a.name + " " + end(a) + " <-> " + plan_.namespaces[b.owner].name +
                    ":" + b.name + " " + end(b) + (a.mtu ? " mtu " + std::to_string(*a.mtu) : ""));
}

void DescribingKernel::apply(const step::AttachPort& step) {
  const auto& interface = plan_.interfaces[step.interface];
  line(interface.owner,
       interface.name + " master " + plan_.namespaces[interface.owner].bridge_device);
}

void DescribingKernel::apply(const step::AddAddress& step) {
  const auto& interface = plan_.interfaces[step.interface];
  line(interface.owner,
       interface.name + " address " + interface.addresses[step.address].to_string());
}

void DescribingKernel::apply(const step::SetUp& step) { line(step.ns, step.name + " up"); }

void DescribingKernel::apply(const step::AddRoute& step) {
  const auto& route = plan_.routes[step.route];
  std::string what = "route " + route.destination.to_string();
  if (route.via) what += " via " + route.via->to_string();
  if (route.oif) what += " oif " + std::to_string(route.oif);
  if (route.metric) what += " metric " + std::to_string(route.metric);
  line(route.owner, what);
}

void DescribingKernel::apply(const step::AddNetem& step) {
  const auto& interface = plan_.interfaces[step.interface];
  const auto& impairments = interface.impairments;
  line(interface.owner, interface.name + " netem delay " +
                            std::to_string(impairments.delay_us.value_or(0)) + "us jitter " +
                            std::to_string(impairments.jitter_us.value_or(0)) + "us loss " +
                            std::to_string(impairments.loss_percent.value_or(0)) + "%");
}

void DescribingKernel::apply(const step::AddTbf& step) {
  const auto& interface = plan_.interfaces[step.interface];
  const auto& impairments = interface.impairments;
  line(interface.owner, interface.name + " tbf rate " +
                            std::to_string(*impairments.rate_bits_per_second) + "bit" +
                            (needs_netem(impairments) ? " under netem" : ""));
}

void DescribingKernel::apply(const step::AddLossFilter& step) {
  const auto& interface = plan_.interfaces[step.interface];
  const auto& sender = plan_.interfaces[step.sender];
  line(interface.owner, interface.name + " clsact, ingress BPF filter '" +
                            loss_filter_name(*interface.impairments.loss_percent) +
                            "' (drops that much of what " + plan_.namespaces[sender.owner].name +
                            ":" + sender.name + " sends)");
}

void DescribingKernel::apply(const step::RunExec& step) {
  line(step.ns, label_of(step) + ": " + command_of(plan_.namespaces[step.ns], step));
}

void DescribingKernel::apply(const step::StartProgram& step) {
  line(step.ns, "start program " + std::to_string(step.index + 1) + ": " +
                    plan_.namespaces[step.ns].run[step.index]);
}

}  // namespace nettopo
