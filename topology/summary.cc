#include "topology/summary.h"

#include <set>

namespace nettopo::topology {
namespace {

std::string count(size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

}  // namespace

std::string summarize(const Lab& lab) {
  std::set<IpPrefix> subnets;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      for (const auto& address : end.addresses) subnets.insert(address.network());
  return "lab " + lab.name + ": " + count(lab.nodes.size(), "node", "nodes") + ", " +
         count(lab.bridges.size(), "bridge", "bridges") + ", " +
         count(lab.links.size(), "link", "links") + ", " +
         count(subnets.size(), "subnet", "subnets");
}

}  // namespace nettopo::topology
