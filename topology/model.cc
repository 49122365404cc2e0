#include "topology/model.h"

namespace nettopo::topology {

std::optional<size_t> Lab::node_index(std::string_view wanted) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == wanted) return i;
  return std::nullopt;
}

NodeIndex::NodeIndex(const Lab& lab) {
  // emplace keeps the first of two nodes with one name, as node_index() finds it.
  for (size_t i = 0; i < lab.nodes.size(); ++i) index_.emplace(lab.nodes[i].name, i);
}

std::optional<size_t> NodeIndex::of(std::string_view name) const {
  auto found = index_.find(name);
  if (found == index_.end()) return std::nullopt;
  return found->second;
}

const Node* Lab::find_node(std::string_view wanted) const {
  auto index = node_index(wanted);
  return index ? &nodes[*index] : nullptr;
}

std::optional<IpAddress> Node::router_id() const {
  for (const auto& loopback : loopbacks)
    if (loopback.family() == IpFamily::V4) return loopback.address;
  return std::nullopt;
}

const Bridge* Lab::find_bridge(std::string_view wanted) const {
  for (const auto& bridge : bridges)
    if (bridge.name == wanted) return &bridge;
  return nullptr;
}

}  // namespace nettopo::topology
