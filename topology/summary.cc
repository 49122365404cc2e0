#include "topology/summary.h"

#include <set>

namespace nettopo::topology {
std::string count_of(size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string summarize(const Lab& lab) {
  std::set<IpPrefix> subnets;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      for (const auto& address : end.addresses) subnets.insert(address.network());
  return "lab " + lab.name + ": " + count_of(lab.nodes.size(), "node", "nodes") + ", " +
         count_of(lab.bridges.size(), "bridge", "bridges") + ", " +
         count_of(lab.links.size(), "link", "links") + ", " +
         count_of(subnets.size(), "subnet", "subnets");
}

}  // namespace nettopo::topology
