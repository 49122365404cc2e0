#include "core/plan_executor.h"

#include <spdlog/spdlog.h>

#include <cerrno>

#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "netlink/address.h"
#include "netlink/bridge.h"
#include "netlink/link.h"
#include "netlink/qdisc.h"
#include "netlink/route.h"
#include "netlink/socket.h"
#include "netlink/sysctl.h"
#include "netlink/veth.h"

namespace nettopo {
namespace {

constexpr int kLoopbackIfindex = 1;
constexpr int kBridgeIfindex = 2;

void wait_all(std::vector<netlink::Socket>& sockets) {
  for (auto& socket : sockets) socket.wait_all();
}

}  // namespace

void apply_network_plan(const LabPlan& plan, const std::vector<UniqueFd>& netns,
                        const std::vector<std::string>& proc) {
  // One visit to each namespace: open its socket and write its sysctls there (/proc/sys/net
  // resolves in the writer's namespace). Sysctls come first so that forwarding, the user's
  // settings and the DAD defaults are in force before any interface exists.
  std::vector<std::vector<const PlannedSysctl*>> sysctls_of(plan.namespaces.size());
  for (const auto& sysctl : plan.sysctls) sysctls_of[sysctl.owner].push_back(&sysctl);
  std::vector<netlink::Socket> sockets;
  sockets.reserve(plan.namespaces.size());
  for (size_t i = 0; i < plan.namespaces.size(); ++i) {
    ScopedNetns inside(netns[i]);
    sockets.push_back(netlink::Socket::open());
    for (const auto* sysctl : sysctls_of[i]) {
      try {
        netlink::write_sysctl_via(proc[i], sysctl->key, sysctl->value);
      } catch (const SystemError& error) {
        const auto& ns = plan.namespaces[i];
        throw SystemError((ns.is_bridge ? "bridge " : "node ") + ns.name + ": " + error.operation(),
                          error.object(), error.error_number(),
                          error.error_number() == ENOENT ? "this kernel has no such setting" : "");
      }
    }
  }

  // Bridges, then every veth pair in one pipelined batch on the caller's socket: each end is
  // created directly in its namespace under its final name, so nothing ever appears here.
  for (size_t i = 0; i < plan.namespaces.size(); ++i) {
    const auto& ns = plan.namespaces[i];
    if (!ns.is_bridge) continue;
    netlink::BridgeSpec bridge{ns.bridge_device, kBridgeIfindex, -1, std::nullopt, false};
    if (ns.stp) {
      // The kernel's least forward delay with STP on: a port forwards 4 s after it comes up
      // (listening, then learning) instead of 30 s. The root's hellos (every 2 s) reach every
      // bridge within that time, so the loop has its blocked port before anything forwards.
      bridge.stp = true;
      bridge.forward_delay_cs = netlink::kMinStpForwardDelay;
      spdlog::info("bridge {}: spanning tree on (stp = true), forward delay {} s", ns.name,
                   netlink::kMinStpForwardDelay / 100);
    }
    sockets[i].submit(netlink::bridge_request(bridge),
                      "bridge " + ns.name + ": create " + ns.bridge_device);
  }
  wait_all(sockets);
  netlink::Socket here = netlink::Socket::open();
  for (const auto& veth : plan.veths) {
    const auto& a = plan.interfaces[veth.a];
    const auto& b = plan.interfaces[veth.b];
    netlink::VethEnd end_a{a.name, netns[a.owner].get(), a.ifindex, a.mac, a.mtu};
    netlink::VethEnd end_b{b.name, netns[b.owner].get(), b.ifindex, b.mac, b.mtu};
    here.submit(netlink::veth_request(end_a, end_b),
                "create veth " + plan.namespaces[a.owner].name + ":" + a.name + " <-> " +
                    plan.namespaces[b.owner].name + ":" + b.name);
  }
  here.wait_all();

  // Ports, addresses, links up: one batch per namespace, all namespaces in flight together.
  for (size_t i = 0; i < plan.namespaces.size(); ++i) {
    const auto& ns = plan.namespaces[i];
    auto& socket = sockets[i];
    std::string who = (ns.is_bridge ? "bridge " : "node ") + ns.name + ": ";
    for (size_t index : ns.interfaces) {
      const auto& interface = plan.interfaces[index];
      if (interface.master_ifindex)
        socket.submit(netlink::link_master_request(interface.ifindex, interface.master_ifindex),
                      who + "attach " + interface.name + " to " + ns.bridge_device);
      for (const auto& address : interface.addresses)
        socket.submit(netlink::address_add_request(interface.ifindex, address),
                      who + "add address " + address.to_string() + " to " + interface.name);
      socket.submit(netlink::link_up_request(interface.ifindex, true),
                    who + "set " + interface.name + " up");
    }
    if (ns.is_bridge)
      socket.submit(netlink::link_up_request(kBridgeIfindex, true), who + "set bridge up");
    socket.submit(netlink::link_up_request(kLoopbackIfindex, true), who + "set lo up");
  }
  wait_all(sockets);

  // Routes once every address is in place, so each gateway is already on a connected subnet.
  for (const auto& route : plan.routes) {
    netlink::RouteSpec spec;
    spec.destination = route.destination;
    spec.gateway = route.via;
    spec.oif = route.oif;
    spec.metric = route.metric;
    std::string what = "node " + plan.namespaces[route.owner].name + ": add route " +
                       route.destination.to_string() +
                       (route.via ? " via " + route.via->to_string() : "");
    sockets[route.owner].submit(netlink::route_add_request(spec), what);
  }
  wait_all(sockets);

  for (const auto& interface : plan.interfaces) {
    const auto& impairments = interface.impairments;
    std::string who = "node " + plan.namespaces[interface.owner].name + ": " + interface.name;
    if (impairments.needs_netem()) {
      netlink::NetemSpec netem;
      netem.delay_us = impairments.delay_us.value_or(0);
      netem.jitter_us = impairments.jitter_us.value_or(0);
      netem.loss_percent = impairments.loss_percent.value_or(0);
      sockets[interface.owner].submit(netlink::netem_request(interface.ifindex, netem),
                                      who + ": add netem qdisc");
    }
    if (impairments.rate_bits_per_second) {
      netlink::TbfSpec tbf;
      tbf.rate_bytes_per_second = *impairments.rate_bits_per_second / 8;
      // With netem at the root, the rate limit goes under it (netem 1: -> tbf at 1:1).
      sockets[interface.owner].submit(impairments.needs_netem()
                                          ? netlink::tbf_under_netem_request(interface.ifindex, tbf)
                                          : netlink::tbf_request(interface.ifindex, tbf),
                                      who + ": add tbf qdisc");
    }
  }
  wait_all(sockets);
}

}  // namespace nettopo
