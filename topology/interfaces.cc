#include "topology/interfaces.h"

namespace nettopo::topology {

std::vector<const Endpoint*> interfaces_of(const Lab& lab, std::string_view owner) {
  std::vector<const Endpoint*> result;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.owner == owner) result.push_back(&end);
  return result;
}

}  // namespace nettopo::topology
