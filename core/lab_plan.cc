#include "core/lab_plan.h"

#include <map>

#include "core/describing_kernel.h"
#include "core/node_namespaces.h"
#include "core/plan_executor.h"
#include "core/sys/error.h"
#include "core/sys/sysctl_key.h"
#include "netlink/bridge.h"
#include "topology/interfaces.h"
#include "topology/name_rules.h"
#include "topology/route_checks.h"

namespace nettopo {
namespace {

constexpr int kFirstIfindex = 2;  // 1 is lo in every new network namespace
constexpr int kLoopbackIfindex = 1;
constexpr int kBridgeIfindex = 2;

// The other end of interfaces[interface]'s veth.
size_t peer_of(const LabPlan& plan, size_t interface) {
  for (const auto& veth : plan.veths) {
    if (veth.a == interface) return veth.b;
    if (veth.b == interface) return veth.a;
  }
  throw Error("plan of lab " + plan.lab + ": interface " + plan.interfaces[interface].name +
              " is on no veth");
}

// The order of `up`. Within a Wait's span, requests go out without waiting for answers, so
// the order between Waits is the order of sending; a Wait is where order matters.
void add_steps(LabPlan& plan) {
  auto& steps = plan.steps;
  std::string namespaces = std::to_string(plan.namespaces.size()) + " namespaces";
  steps.push_back(step::Phase{"writing runtime files", "runtime files written"});
  steps.push_back(step::WriteRuntimeFiles{});

  steps.push_back(step::Phase{"creating " + namespaces, namespaces + " ready"});
  for (size_t ns = 0; ns < plan.namespaces.size(); ++ns) steps.push_back(step::StartNamespace{ns});
  steps.push_back(step::Wait{step::Wait::kNamespaces});

  steps.push_back(step::Phase{
      "creating links, addresses and routes",
      "links, addresses, routes and qdiscs in place, namespaces named under /run/netns"});
  // Naming is mount work (the mount lock), the rest rtnetlink work (the rtnl lock): the names
  // are made beside the links, which on two cores saves most of the naming's time.
  for (size_t ns = 0; ns < plan.namespaces.size(); ++ns) steps.push_back(step::NameNamespace{ns});
  // Sysctls first, so that forwarding, the user's settings and the DAD defaults are in force
  // before any interface exists.
  for (size_t i = 0; i < plan.sysctls.size(); ++i) steps.push_back(step::WriteSysctl{i});
  for (size_t ns = 0; ns < plan.namespaces.size(); ++ns)
    if (plan.namespaces[ns].is_bridge) steps.push_back(step::CreateBridge{ns});
  steps.push_back(step::Wait{step::Wait::kNetlink});
  for (size_t i = 0; i < plan.veths.size(); ++i) steps.push_back(step::CreateVeth{i});
  steps.push_back(step::Wait{step::Wait::kNetlink});
  // Ports, addresses, links up: one batch per namespace, all namespaces in flight together.
  for (size_t ns = 0; ns < plan.namespaces.size(); ++ns) {
    const auto& owner = plan.namespaces[ns];
    for (size_t index : owner.interfaces) {
      const auto& interface = plan.interfaces[index];
      if (interface.master_ifindex) steps.push_back(step::AttachPort{index});
      for (size_t a = 0; a < interface.addresses.size(); ++a)
        steps.push_back(step::AddAddress{index, a});
      steps.push_back(step::SetUp{ns, interface.ifindex, interface.name});
    }
    if (owner.is_bridge) steps.push_back(step::SetUp{ns, kBridgeIfindex, owner.bridge_device});
    if (owner.loopback) {
      for (size_t a = 0; a < plan.interfaces[*owner.loopback].addresses.size(); ++a)
        steps.push_back(step::AddAddress{*owner.loopback, a});
    }
    steps.push_back(step::SetUp{ns, kLoopbackIfindex, "lo"});
  }
  steps.push_back(step::Wait{step::Wait::kNetlink});
  // Routes once every address is in place, so each gateway is already on a connected subnet.
  for (size_t i = 0; i < plan.routes.size(); ++i) steps.push_back(step::AddRoute{i});
  steps.push_back(step::Wait{step::Wait::kNetlink});
  for (size_t i = 0; i < plan.interfaces.size(); ++i) {
    if (plan.interfaces[i].ifindex == kLoopbackIfindex) continue;
    const auto& impairments = plan.interfaces[i].impairments;
    // With netem at the root, the rate limit goes under it (netem 1: -> tbf at 1:1).
    if (needs_netem(impairments)) steps.push_back(step::AddNetem{i});
    if (impairments.rate_bits_per_second) steps.push_back(step::AddTbf{i});
    // Loss alone: a filter on each end's ingress drops what the other end sends, as `link set`
    // does (link_control.cc says why the receiver's ingress and not the sender's egress).
    if (impairments.loss_percent && !needs_netem(impairments))
      steps.push_back(step::AddLossFilter{i, peer_of(plan, i)});
  }
  steps.push_back(step::Wait{step::Wait::kNetlink});
  steps.push_back(step::Wait{step::Wait::kNames});

  steps.push_back(step::Phase{"running exec steps", "exec steps done"});
  for (size_t ns = 0; ns < plan.node_count; ++ns)
    for (size_t i = 0; i < plan.namespaces[ns].exec.size(); ++i)
      steps.push_back(step::RunExec{ns, i});
  steps.push_back(step::Wait{step::Wait::kExec});

  steps.push_back(step::Phase{"starting programs", "programs started"});
  for (size_t ns = 0; ns < plan.node_count; ++ns)
    for (size_t i = 0; i < plan.namespaces[ns].run.size(); ++i)
      steps.push_back(step::StartProgram{ns, i});

  // Daemons started as programs answer, and take their configuration, before `up` returns.
  size_t waiting = 0;
  for (size_t ns = 0; ns < plan.node_count; ++ns)
    waiting += plan.namespaces[ns].ready.empty() ? 0 : 1;
  if (waiting == 0) return;
  std::string nodes = std::to_string(waiting) + (waiting == 1 ? " node" : " nodes");
  steps.push_back(step::Phase{"waiting for " + nodes + " to be ready", nodes + " ready"});
  for (size_t ns = 0; ns < plan.node_count; ++ns)
    for (size_t i = 0; i < plan.namespaces[ns].ready.size(); ++i)
      steps.push_back(step::RunExec{ns, i, true});
  steps.push_back(step::Wait{step::Wait::kExec});
}

}  // namespace

bool needs_netem(const topology::Impairments& impairments) {
  return impairments.delay_us || impairments.jitter_us;
}

const std::string& command_of(const PlannedNamespace& ns, const step::RunExec& step) {
  return step.ready ? ns.ready.at(step.index) : ns.exec.at(step.index);
}

std::string label_of(const step::RunExec& step) {
  return std::string(step.ready ? "ready" : "exec") + " step " + std::to_string(step.index + 1);
}

bool LabPlan::needs_netem() const {
  for (const auto& interface : interfaces)
    if (nettopo::needs_netem(interface.impairments)) return true;
  return false;
}

LabPlan make_plan(const topology::Lab& lab) {
  LabPlan plan;
  plan.lab = lab.name;
  std::map<std::string, size_t> owner_index;
  std::vector<int> next_ifindex;
  for (const auto& node : lab.nodes) {
    owner_index[node.name] = plan.namespaces.size();
    PlannedNamespace ns;
    ns.name = node.name;
    ns.clone_flags = kNodeNamespaces;
    ns.dirs = node.dirs;
    for (const auto& file : node.files)
      ns.files.emplace_back(file.content ? "(written by nettopo)" : file.source_path,
                            file.inside_path);
    ns.exec = node.exec;
    ns.run = node.run;
    ns.ready = node.ready;
    plan.namespaces.push_back(std::move(ns));
    next_ifindex.push_back(kFirstIfindex);
  }
  plan.node_count = plan.namespaces.size();
  for (const auto& bridge : lab.bridges) {
    owner_index[bridge.name] = plan.namespaces.size();
    PlannedNamespace ns;
    ns.name = bridge.name;
    ns.is_bridge = true;
    ns.clone_flags = kBridgeNamespaces;
    ns.bridge_device = topology::bridge_device_name(bridge.name);
    ns.stp = bridge.stp;
    plan.namespaces.push_back(std::move(ns));
    next_ifindex.push_back(kFirstIfindex + 1);  // the bridge device itself takes 2
  }

  // Loopback addresses go on lo, which every network namespace has at ifindex 1.
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    if (lab.nodes[n].loopbacks.empty()) continue;
    PlannedInterface lo;
    lo.owner = n;
    lo.name = "lo";
    lo.ifindex = kLoopbackIfindex;
    lo.addresses = lab.nodes[n].loopbacks;
    plan.namespaces[n].loopback = plan.interfaces.size();
    plan.interfaces.push_back(std::move(lo));
  }

  std::map<std::pair<size_t, std::string>, int> ifindex_by_name;
  for (const auto& link : lab.links) {
    size_t ends[2];
    for (int side = 0; side < 2; ++side) {
      const topology::Endpoint& endpoint = link.ends[side];
      size_t owner = owner_index.at(endpoint.owner);
      PlannedInterface interface;
      interface.owner = owner;
      interface.name = endpoint.interface;
      interface.ifindex = next_ifindex[owner]++;
      interface.addresses = endpoint.addresses;
      interface.mac = endpoint.mac;
      interface.mtu = link.mtu;
      interface.impairments = link.impairments;
      if (plan.namespaces[owner].is_bridge) interface.master_ifindex = kFirstIfindex;
      ends[side] = plan.interfaces.size();
      plan.namespaces[owner].interfaces.push_back(ends[side]);
      ifindex_by_name[{owner, interface.name}] = interface.ifindex;
      plan.interfaces.push_back(std::move(interface));
    }
    plan.veths.push_back({ends[0], ends[1]});
  }

  // Duplicate address detection guards against addresses nobody planned; in a lab every address
  // is planned, and DAD would hold IPv6 (link-local ones included) back for a second or more
  // after each link comes up. Set before the interfaces exist, so they inherit "default".
  for (size_t owner = 0; owner < plan.namespaces.size(); ++owner) {
    plan.sysctls.push_back({owner, "net.ipv6.conf.all.accept_dad", "0"});
    plan.sysctls.push_back({owner, "net.ipv6.conf.default.accept_dad", "0"});
  }
  for (const auto& node : lab.nodes) {
    size_t owner = owner_index.at(node.name);
    if (node.forward) {
      plan.sysctls.push_back({owner, "net.ipv4.ip_forward", "1"});
      plan.sysctls.push_back({owner, "net.ipv6.conf.all.forwarding", "1"});
    }
    for (const auto& [key, value] : node.sysctls) {
      // validate refuses these already; a lab built some other way meets the same rule.
      if (auto problem = sysctl_key_problem(key))
        throw UsageError("node " + node.name + ": sysctl " + key + " " + *problem);
      plan.sysctls.push_back({owner, key, value});
    }
    std::vector<const topology::Endpoint*> interfaces;
    for (const auto& route : node.routes) {
      PlannedRoute planned{owner, route.destination, route.via, 0, route.metric};
      if (!route.device.empty()) {
        // validate refuses these already (check_routes, on the same rule); a lab built some
        // other way meets it too.
        if (interfaces.empty()) interfaces = topology::interfaces_of(lab, node.name);
        const topology::Endpoint* device = topology::route_device(route, interfaces);
        if (!device)
          throw UsageError("node " + node.name + ": route to " + route.destination.to_string() +
                           " names no interface " + route.device);
        planned.oif = ifindex_by_name.at({owner, device->interface});
      }
      plan.routes.push_back(planned);
    }
  }
  add_steps(plan);
  return plan;
}

std::string LabPlan::describe() const {
  std::string text;
  DescribingKernel kernel(*this, text);
  execute_plan(*this, kernel);
  return text;
}

}  // namespace nettopo
