#include "topology/reachability.h"

#include <optional>
#include <tuple>

#include "topology/segments.h"

namespace nettopo::topology {
namespace {

// Linux's default TTL (net.ipv4.ip_default_ttl) bounds every walk, so routing loops end.
constexpr int kTtl = 64;

struct Interface {
  const Endpoint* endpoint;
  size_t segment;
};

class Forwarder {
 public:
  explicit Forwarder(const Lab& lab) : lab_(lab), segments_(find_segments(lab)) {
    auto segment_of = segment_of_links(lab, segments_);
    interfaces_.resize(lab.nodes.size());
    NodeIndex nodes(lab);
    for (size_t l = 0; l < lab.links.size(); ++l)
      for (const auto& end : lab.links[l].ends) {
        auto node = nodes.of(end.owner);
        if (end.kind == EndpointKind::Node && node)
          interfaces_[*node].push_back(Interface{&end, segment_of[l]});
      }
  }

  bool owns(size_t node, const IpAddress& address) const {
    for (const auto& iface : interfaces_[node])
      for (const auto& a : iface.endpoint->addresses)
        if (a.address == address) return true;
    return false;
  }

  /// Walks a packet from `start` to `destination`; the node it is delivered to, or nullopt.
  /// `source`, when given, receives the source address `start` would put on the packet.
  std::optional<size_t> deliver(size_t start, const IpAddress& destination,
                                IpAddress* source) const {
    size_t current = start;
    for (int ttl = kTtl; ttl > 0; --ttl) {
      if (owns(current, destination)) {
        if (source && current == start) *source = destination;
        return current;
      }
      if (current != start && !lab_.nodes[current].forward) return std::nullopt;
      auto hop = next_hop(current, destination);
      if (!hop) return std::nullopt;
      const auto& [out, gateway] = *hop;
      if (source && current == start) {
        auto chosen = source_address(current, *out, destination.family);
        if (!chosen) return std::nullopt;
        *source = *chosen;
      }
      auto next = neighbour_with(*out, gateway);
      if (!next) return std::nullopt;
      current = *next;
    }
    return std::nullopt;
  }

 private:
  // The outgoing interface and the address to resolve on it, by longest-prefix match.
  std::optional<std::pair<const Interface*, IpAddress>> next_hop(
      size_t node, const IpAddress& destination) const {
    // (prefix length, connected, -metric, -order): larger wins
    std::optional<std::tuple<int, int, long, long>> best;
    std::optional<std::pair<const Interface*, IpAddress>> result;
    long order = 0;
    auto consider = [&](std::tuple<int, int, long, long> rank,
                        std::optional<std::pair<const Interface*, IpAddress>> choice) {
      if (choice && (!best || rank > *best)) {
        best = rank;
        result = choice;
      }
    };
    for (const auto& iface : interfaces_[node])
      for (const auto& address : iface.endpoint->addresses)
        if (address.network().contains(destination))
          consider({address.length, 1, 0, -order++}, std::pair(&iface, destination));
    for (const auto& route : lab_.nodes[node].routes) {
      if (!route.destination.contains(destination)) continue;
      std::optional<std::pair<const Interface*, IpAddress>> choice;
      IpAddress gateway = route.via ? *route.via : destination;
      for (const auto& iface : interfaces_[node]) {
        if (!route.device.empty() && iface.endpoint->interface != route.device) continue;
        bool on_link = !route.via;
        for (const auto& address : iface.endpoint->addresses)
          if (route.via && address.contains(*route.via)) on_link = true;
        if (on_link) {
          choice = std::pair(&iface, gateway);
          break;
        }
      }
      consider({route.destination.length, 0, -static_cast<long>(route.metric), -order++}, choice);
    }
    return result;
  }

  // The kernel prefers an address of the outgoing interface, else any of the node's.
  std::optional<IpAddress> source_address(size_t node, const Interface& out,
                                          IpFamily family) const {
    for (const auto& address : out.endpoint->addresses)
      if (address.family() == family) return address.address;
    for (const auto& iface : interfaces_[node])
      for (const auto& address : iface.endpoint->addresses)
        if (address.family() == family) return address.address;
    return std::nullopt;
  }

  // The node on `out`'s segment that answers ARP/ND for `address`.
  std::optional<size_t> neighbour_with(const Interface& out, const IpAddress& address) const {
    for (size_t n = 0; n < interfaces_.size(); ++n)
      for (const auto& iface : interfaces_[n]) {
        if (iface.segment != out.segment || iface.endpoint == out.endpoint) continue;
        for (const auto& a : iface.endpoint->addresses)
          if (a.address == address) return n;
      }
    return std::nullopt;
  }

  const Lab& lab_;
  std::vector<Segment> segments_;
  std::vector<std::vector<Interface>> interfaces_;
};

bool ignores_echo(const Node& node, IpFamily family) {
  if (family != IpFamily::V4) return false;
  for (const auto& [key, value] : node.sysctls)
    if ((key == "net.ipv4.icmp_echo_ignore_all" || key == "net/ipv4/icmp_echo_ignore_all") &&
        value == "1")
      return true;
  return false;
}

}  // namespace

bool can_ping(const Lab& lab, std::string_view from, const IpAddress& to) {
  Forwarder forwarder(lab);
  auto start = lab.node_index(from);
  if (!start) return false;
  IpAddress source;
  auto reached = forwarder.deliver(*start, to, &source);
  if (!reached) return false;
  if (ignores_echo(lab.nodes[*reached], to.family)) return false;
  if (*reached == *start) return true;
  auto back = forwarder.deliver(*reached, source, nullptr);
  return back && *back == *start;
}

}  // namespace nettopo::topology
