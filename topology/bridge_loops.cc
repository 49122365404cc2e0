#include "topology/bridge_loops.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <map>
#include <vector>

namespace nettopo::topology {
namespace {

using Forest = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// The bridges on the path from `from` to `to` in `forest`, both included, in path order.
std::vector<size_t> forest_path(const Forest& forest, size_t from, size_t to) {
  std::vector<size_t> predecessor(boost::num_vertices(forest));
  predecessor[from] = from;
  boost::breadth_first_search(forest, from,
                              boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(
                                  boost::make_iterator_property_map(
                                      predecessor.begin(), boost::get(boost::vertex_index, forest)),
                                  boost::on_tree_edge()))));
  std::vector<size_t> path{to};
  while (path.back() != from) path.push_back(predecessor[path.back()]);
  return {path.rbegin(), path.rend()};
}

std::string name_list(const Lab& lab, const std::vector<size_t>& bridges, const char* separator) {
  // A long loop is named by its first bridges: the message stays a line.
  constexpr size_t kShown = 8;
  std::string text;
  for (size_t i = 0; i < bridges.size() && i < kShown; ++i)
    text += (i ? separator : "") + in_quotes(lab.bridges[bridges[i]].name);
  if (bridges.size() > kShown) text += std::string(separator) + "…";
  return text;
}

}  // namespace

void check_bridge_loops(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  std::map<std::string, size_t> index_of;
  for (size_t b = 0; b < lab.bridges.size(); ++b) index_of.emplace(lab.bridges[b].name, b);

  // Union-find over the bridges in link order: a link between two bridges already joined
  // closes a loop. The links that joined something make up the forest the loops are read from.
  size_t count = lab.bridges.size();
  std::vector<size_t> rank(count), parent(count);
  boost::disjoint_sets<size_t*, size_t*> joined(rank.data(), parent.data());
  for (size_t b = 0; b < count; ++b) joined.make_set(b);
  Forest forest(count);

  for (size_t l = 0; l < lab.links.size(); ++l) {
    const auto& [a, b] = lab.links[l].ends;
    if (a.kind != EndpointKind::Bridge || b.kind != EndpointKind::Bridge) continue;
    auto found_a = index_of.find(a.owner);
    auto found_b = index_of.find(b.owner);
    if (found_a == index_of.end() || found_b == index_of.end()) continue;
    size_t from = found_a->second;
    size_t to = found_b->second;
    if (joined.find_set(from) != joined.find_set(to)) {
      joined.union_set(from, to);
      boost::add_edge(from, to, forest);
      continue;
    }
    std::vector<size_t> loop = forest_path(forest, from, to);
    std::vector<size_t> without_stp;
    for (size_t bridge : loop)
      if (!lab.bridges[bridge].stp) without_stp.push_back(bridge);
    if (without_stp.empty()) continue;
    loop.push_back(from);  // back where it started: s1 -- s2 -- s1
    const SourceLocation& where =
        lab.links[l].where.line > 0 ? lab.links[l].where : source.links[l].ends[0].where;
    diagnostics.error(where,
                      "this link closes a loop of bridges (" + name_list(lab, loop, " -- ") +
                          "), where a broadcast would circle forever",
                      "remove a link of the loop, or set stp = true on bridge" +
                          std::string(without_stp.size() == 1 ? " " : "s ") +
                          name_list(lab, without_stp, ", ") +
                          " to have the kernel's spanning tree block one port");
  }
}

}  // namespace nettopo::topology
