#include "core/hosts_file.h"

#include <cctype>
#include <map>
#include <vector>

namespace nettopo {

namespace {

// The kernel accepts interface names that are no host names ("eth#1" would start a comment in
// /etc/hosts, quotes and non-ASCII bytes confuse resolvers); those get no NODE-INTERFACE entry.
// Node names always qualify, and '_' is tolerated by every resolver.
bool is_host_name(const std::string& name) {
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  return !name.empty();
}

}  // namespace

std::string make_hosts_file(const topology::Lab& lab) {
  std::string text = "# written by nettopo for lab " + lab.name +
                     "\n"
                     "127.0.0.1\tlocalhost\n"
                     "::1\tlocalhost ip6-localhost ip6-loopback\n";
  std::map<std::string, std::vector<const topology::Endpoint*>> by_node;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      if (end.kind == topology::EndpointKind::Node) by_node[end.owner].push_back(&end);
  for (const auto& node : lab.nodes) {
    const auto& ends = by_node[node.name];
    for (IpFamily family : {IpFamily::V4, IpFamily::V6}) {
      bool named = false;
      // A router's name is its loopback: up while any of its links is.
      for (const auto& loopback : node.loopbacks)
        if (!named && loopback.family() == family) {
          text += loopback.address.to_string() + "\t" + node.name + "\n";
          named = true;
        }
      for (const auto* end : ends)
        for (const auto& address : end->addresses)
          if (!named && address.family() == family) {
            text += address.address.to_string() + "\t" + node.name + "\n";
            named = true;
          }
    }
    for (const auto* end : ends) {
      std::string name = node.name + "-" + end->interface;
      if (!is_host_name(name)) continue;
      for (const auto& address : end->addresses)
        text += address.address.to_string() + "\t" + name + "\n";
    }
  }
  return text;
}

}  // namespace nettopo
