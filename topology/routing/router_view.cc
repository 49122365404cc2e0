#include "topology/routing/router_view.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace nettopo::topology {

const IpPrefix* RouterInterface::address(IpFamily family) const {
  for (const auto& prefix : addresses)
    if (prefix.family() == family) return &prefix;
  return nullptr;
}

bool RouterView::has_family(IpFamily family) const {
  for (const auto& interface : interfaces)
    if (interface.address(family)) return true;
  for (const auto& loopback : node->loopbacks)
    if (loopback.family() == family) return true;
  return false;
}

std::vector<IpPrefix> RouterView::announced(IpFamily family) const {
  std::vector<IpPrefix> out;
  auto add = [&](const IpPrefix& prefix) {
    if (prefix.family() != family) return;
    auto network = prefix.network();
    if (std::find(out.begin(), out.end(), network) == out.end()) out.push_back(network);
  };
  for (const auto& loopback : node->loopbacks) add(loopback);
  for (const auto& interface : interfaces)
    for (const auto& prefix : interface.addresses) add(prefix);
  return out;
}

RouterViews::RouterViews(const Lab& lab, const std::vector<Segment>& segments)
    : lab_(lab),
      segments_(segments),
      segment_of_(segment_of_links(lab, segments)),
      ends_(lab.nodes.size()),
      owner_(2 * lab.links.size(), nullptr) {
  std::unordered_map<std::string_view, size_t> index;
  for (size_t n = 0; n < lab.nodes.size(); ++n) index.emplace(lab.nodes[n].name, n);
  for (size_t l = 0; l < lab.links.size(); ++l) {
    for (int e = 0; e < 2; ++e) {
      const auto& end = lab.links[l].ends[e];
      auto found = end.kind == EndpointKind::Node ? index.find(end.owner) : index.end();
      if (found == index.end()) continue;
      ends_[found->second].push_back({l, e});
      owner_[2 * l + static_cast<size_t>(e)] = &lab.nodes[found->second];
    }
  }
}

RouterView RouterViews::of(size_t node) const {
  RouterView view;
  view.node = &lab_.nodes[node];
  for (const auto& [l, e] : ends_[node]) {
    const auto& end = lab_.links[l].ends[e];
    RouterInterface interface;
    interface.name = end.interface;
    interface.addresses = end.addresses;
    const Segment& segment = segments_[segment_of_[l]];
    for (const auto& ref : segment.node_ends) {
      if (ref.link == l && ref.end == e) continue;
      const Node* peer = owner_[2 * ref.link + static_cast<size_t>(ref.end)];
      if (!peer) continue;
      if (peer->runs_daemon())
        interface.routers.push_back({peer, lab_.links[ref.link].ends[ref.end].addresses});
      else
        interface.has_hosts = true;
    }
    interface.point_to_point = !segment.bridged() && interface.routers.size() == 1;
    view.interfaces.push_back(std::move(interface));
  }
  return view;
}

std::vector<BgpPeer> bgp_peers(const Lab& lab, const RouterView& view) {
  std::vector<BgpPeer> peers;
  const Node& self = *view.node;
  if (!self.asn) return peers;
  for (const auto& interface : view.interfaces) {
    if (!interface.address(IpFamily::V4)) continue;
    for (const auto& neighbor : interface.routers) {
      if (!neighbor.node->asn || *neighbor.node->asn == *self.asn) continue;
      for (const auto& address : neighbor.addresses) {
        if (address.family() != IpFamily::V4) continue;
        peers.push_back({neighbor.node, address.address, *neighbor.node->asn, false});
        break;
      }
    }
  }
  for (const auto& other : lab.nodes) {
    if (&other == &self || !other.runs_daemon() || other.asn != self.asn) continue;
    if (auto id = other.router_id(); id && self.router_id())
      peers.push_back({&other, *id, *self.asn, true});
  }
  return peers;
}

}  // namespace nettopo::topology
