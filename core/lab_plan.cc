#include "core/lab_plan.h"

#include <map>

#include "core/sys/error.h"
#include "core/sys/sysctl_key.h"
#include "netlink/bridge.h"
#include "topology/name_rules.h"

namespace nettopo {
namespace {

constexpr int kFirstIfindex = 2;  // 1 is lo in every new network namespace

}  // namespace

bool LabPlan::needs_netem() const {
  for (const auto& interface : interfaces)
    if (interface.impairments.needs_netem()) return true;
  return false;
}

LabPlan make_plan(const topology::Lab& lab) {
  LabPlan plan;
  std::map<std::string, size_t> owner_index;
  std::vector<int> next_ifindex;
  for (const auto& node : lab.nodes) {
    owner_index[node.name] = plan.namespaces.size();
    plan.namespaces.push_back({node.name, false, {}, {}});
    next_ifindex.push_back(kFirstIfindex);
  }
  plan.node_count = plan.namespaces.size();
  for (const auto& bridge : lab.bridges) {
    owner_index[bridge.name] = plan.namespaces.size();
    plan.namespaces.push_back(
        {bridge.name, true, topology::bridge_device_name(bridge.name), {}, bridge.stp});
    next_ifindex.push_back(kFirstIfindex + 1);  // the bridge device itself takes 2
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
    for (const auto& route : node.routes) {
      PlannedRoute planned{owner, route.destination, route.via, 0, route.metric};
      if (!route.device.empty()) {
        auto found = ifindex_by_name.find({owner, route.device});
        if (found == ifindex_by_name.end())
          throw UsageError("node " + node.name + ": route to " + route.destination.to_string() +
                           " names no interface " + route.device);
        planned.oif = found->second;
      }
      plan.routes.push_back(planned);
    }
  }
  return plan;
}

std::string LabPlan::describe() const {
  std::string text;
  auto line = [&](const std::string& owner, const std::string& what) {
    text += owner + ": " + what + "\n";
  };
  for (const auto& ns : namespaces) {
    line(ns.name, ns.is_bridge ? "new network namespace (bridge holder)"
                               : "new namespaces: net uts mnt pid ipc; init as PID 1");
    if (ns.is_bridge)
      line(ns.name, "create bridge " + ns.bridge_device + " ifindex 2, up" +
                        (ns.stp ? ", stp on, forward delay " +
                                      std::to_string(netlink::kMinStpForwardDelay / 100) + " s"
                                : ""));
  }
  for (const auto& veth : veths) {
    const auto& a = interfaces[veth.a];
    const auto& b = interfaces[veth.b];
    line(namespaces[a.owner].name,
         "create veth " + a.name + " (ifindex " + std::to_string(a.ifindex) + ") <-> " +
             namespaces[b.owner].name + ":" + b.name + " (ifindex " + std::to_string(b.ifindex) +
             ")" + (a.mtu ? " mtu " + std::to_string(*a.mtu) : ""));
  }
  for (const auto& interface : interfaces) {
    const std::string& owner = namespaces[interface.owner].name;
    if (interface.mac) line(owner, interface.name + " mac " + interface.mac->to_string());
    if (interface.master_ifindex)
      line(owner, interface.name + " master " + namespaces[interface.owner].bridge_device);
    for (const auto& address : interface.addresses)
      line(owner, interface.name + " address " + address.to_string());
    line(owner, interface.name + " up");
    const auto& impairments = interface.impairments;
    if (impairments.rate_bits_per_second)
      line(owner, interface.name + " tbf rate " +
                      std::to_string(*impairments.rate_bits_per_second) + "bit");
    if (impairments.needs_netem())
      line(owner, interface.name + " netem delay " +
                      std::to_string(impairments.delay_us.value_or(0)) + "us jitter " +
                      std::to_string(impairments.jitter_us.value_or(0)) + "us loss " +
                      std::to_string(impairments.loss_percent.value_or(0)) + "%");
  }
  for (const auto& sysctl : sysctls)
    line(namespaces[sysctl.owner].name, "sysctl " + sysctl.key + "=" + sysctl.value);
  for (const auto& route : routes) {
    std::string what = "route " + route.destination.to_string();
    if (route.via) what += " via " + route.via->to_string();
    if (route.oif) what += " oif " + std::to_string(route.oif);
    if (route.metric) what += " metric " + std::to_string(route.metric);
    line(namespaces[route.owner].name, what);
  }
  return text;
}

}  // namespace nettopo
