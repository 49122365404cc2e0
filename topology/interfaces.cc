#include "topology/interfaces.h"

#include <map>

namespace nettopo::topology {

std::vector<const Endpoint*> interfaces_of(const Lab& lab, std::string_view owner) {
  std::vector<const Endpoint*> result;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.owner == owner) result.push_back(&end);
  return result;
}

std::vector<std::vector<const Endpoint*>> interfaces_of_nodes(const Lab& lab) {
  std::map<std::string_view, size_t> index;
  for (size_t n = 0; n < lab.nodes.size(); ++n) index.emplace(lab.nodes[n].name, n);
  std::vector<std::vector<const Endpoint*>> result(lab.nodes.size());
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (auto node = index.find(end.owner); node != index.end())
        result[node->second].push_back(&end);
  return result;
}

}  // namespace nettopo::topology
