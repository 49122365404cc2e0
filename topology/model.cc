#include "topology/model.h"

namespace nettopo::topology {

const Node* Lab::find_node(std::string_view wanted) const {
  for (const auto& node : nodes)
    if (node.name == wanted) return &node;
  return nullptr;
}

const Bridge* Lab::find_bridge(std::string_view wanted) const {
  for (const auto& bridge : bridges)
    if (bridge.name == wanted) return &bridge;
  return nullptr;
}

}  // namespace nettopo::topology
