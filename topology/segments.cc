#include "topology/segments.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "topology/diagnostic.h"

namespace nettopo::topology {
namespace {

// Union-find over bridge indices.
size_t find_root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

std::string endpoint_label(const Endpoint& endpoint) {
  return printable(endpoint.interface.empty() ? endpoint.owner
                                              : endpoint.owner + ":" + endpoint.interface);
}

std::vector<Segment> find_segments(const Lab& lab) {
  std::map<std::string, size_t, std::less<>> bridge_index;
  for (size_t i = 0; i < lab.bridges.size(); ++i) bridge_index.emplace(lab.bridges[i].name, i);
  std::vector<size_t> parent(lab.bridges.size());
  std::iota(parent.begin(), parent.end(), size_t{0});
  for (const auto& link : lab.links) {
    if (link.ends[0].kind == EndpointKind::Bridge && link.ends[1].kind == EndpointKind::Bridge) {
      auto a = bridge_index.find(link.ends[0].owner);
      auto b = bridge_index.find(link.ends[1].owner);
      if (a == bridge_index.end() || b == bridge_index.end()) continue;
      parent[find_root(parent, a->second)] = find_root(parent, b->second);
    }
  }

  std::vector<Segment> segments;
  std::map<size_t, size_t> segment_of_root;  // bridge root -> index in segments
  for (size_t l = 0; l < lab.links.size(); ++l) {
    const auto& link = lab.links[l];
    const Endpoint* bridge_end = nullptr;
    for (const auto& end : link.ends)
      if (end.kind == EndpointKind::Bridge) bridge_end = &end;
    size_t index;
    if (!bridge_end) {
      index = segments.size();
      segments.emplace_back();
    } else {
      auto found = bridge_index.find(bridge_end->owner);
      if (found == bridge_index.end()) continue;
      size_t root = find_root(parent, found->second);
      auto [it, inserted] = segment_of_root.emplace(root, segments.size());
      if (inserted) {
        segments.emplace_back();
        for (size_t b = 0; b < lab.bridges.size(); ++b)
          if (find_root(parent, b) == root) segments.back().bridges.push_back(lab.bridges[b].name);
      }
      index = it->second;
    }
    segments[index].links.push_back(l);
    for (int e = 0; e < 2; ++e)
      if (link.ends[e].kind == EndpointKind::Node) segments[index].node_ends.push_back({l, e});
  }
  return segments;
}

std::vector<size_t> segment_of_links(const Lab& lab, const std::vector<Segment>& segments) {
  std::vector<size_t> result(lab.links.size(), 0);
  for (size_t s = 0; s < segments.size(); ++s)
    for (size_t l : segments[s].links) result[l] = s;
  return result;
}

}  // namespace nettopo::topology
