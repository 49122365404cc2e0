#include "topology/model.h"

namespace nettopo::topology {

const Node* Lab::find_node(std::string_view wanted) const {
  for (const auto& node : nodes)
    if (node.name == wanted) return &node;
  return nullptr;
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
