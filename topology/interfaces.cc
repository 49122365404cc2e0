#include "topology/interfaces.h"

namespace nettopo::topology {

std::vector<const Endpoint*> interfaces_of(const Lab& lab, std::string_view owner) {
  std::vector<const Endpoint*> result;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.owner == owner) result.push_back(&end);
  return result;
}

std::vector<std::vector<const Endpoint*>> interfaces_of_nodes(const Lab& lab) {
  NodeIndex nodes(lab);
  std::vector<std::vector<const Endpoint*>> result(lab.nodes.size());
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (auto node = nodes.of(end.owner)) result[*node].push_back(&end);
  return result;
}

}  // namespace nettopo::topology
