#pragma once

// The typed model of a lab: what a topology file says, after validation and resolution
// (every interface named, every address and route filled in). Plain data, no system calls.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sys/ip_address.h"
#include "topology/experiment.h"

namespace nettopo::topology {

/// Where something was written in the topology file. line and column are 1-based; 0 = unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool operator==(const SourceLocation&) const = default;
};

/// Link impairments. Rate is a token bucket (tbf); delay, jitter and loss need netem.
struct Impairments {
  std::optional<uint64_t> rate_bits_per_second;
  std::optional<uint32_t> delay_us;
  std::optional<uint32_t> jitter_us;
  std::optional<double> loss_percent;

  bool needs_netem() const { return delay_us || jitter_us || loss_percent; }
  bool empty() const { return !rate_bits_per_second && !needs_netem(); }
  bool operator==(const Impairments&) const = default;
};

/// A route on a node. "default" is 0.0.0.0/0 or ::/0.
struct Route {
  IpPrefix destination;
  std::optional<IpAddress> via;
  std::string device;  ///< output interface on this node; empty = let the kernel choose by `via`
  uint32_t metric = 0;
  bool automatic = false;  ///< derived by [routing] static = true, not written by the user
  SourceLocation where;

  bool operator==(const Route&) const = default;
};

enum class EndpointKind { Node, Bridge };

/// One end of a link after resolution.
struct Endpoint {
  EndpointKind kind = EndpointKind::Node;
  std::string owner;      ///< node or bridge name
  std::string interface;  ///< interface name in the owner's namespace (bridge ports are generated)
  std::vector<IpPrefix> addresses;  ///< interface addresses with prefix length; none on bridges
  std::optional<MacAddress> mac;

  bool operator==(const Endpoint&) const = default;
};

/// A veth pair between two endpoints.
struct Link {
  std::array<Endpoint, 2> ends;
  std::optional<uint32_t> mtu;
  Impairments impairments;  ///< applied to the egress of both ends
  uint32_t cost = 1;        ///< routing cost of crossing this link
  SourceLocation where;

  bool operator==(const Link&) const = default;
};

/// A file copied into a node: `source_path` on the host appears at `inside_path` in the node.
struct FileSpec {
  std::string inside_path;
  std::string source_path;  ///< absolute
  SourceLocation where;

  bool operator==(const FileSpec&) const = default;
};

struct Node {
  std::string name;
  bool forward =
      false;  ///< IP forwarding (set by the user, or by static routing for transit nodes)
  std::vector<std::pair<std::string, std::string>> sysctls;  ///< in file order
  std::vector<std::pair<std::string, std::string>> env;      ///< in file order
  std::vector<std::string> dirs;                             ///< absolute paths, private per node
  std::vector<FileSpec> files;
  std::vector<Route> routes;      ///< written routes first, then automatic ones
  std::vector<std::string> exec;  ///< shell command lines, run once in order after links are up
  std::vector<std::string> run;   ///< shell command lines, long-running, logged
  SourceLocation where;

  bool operator==(const Node&) const = default;
};

/// An L2 segment: a Linux bridge in a network namespace of its own.
struct Bridge {
  std::string name;
  SourceLocation where;
  bool stp = false;  ///< the kernel's spanning tree on, so a loop of bridges is allowed

  bool operator==(const Bridge&) const = default;
};

struct Lab {
  std::string name;
  std::string source_file;  ///< absolute path of the topology file
  std::optional<IpPrefix> ipv4_pool;
  std::optional<IpPrefix> ipv6_pool;
  bool static_routing = false;
  std::vector<Node> nodes;      ///< in file order
  std::vector<Bridge> bridges;  ///< in file order
  std::vector<Link> links;      ///< in file order
  std::vector<Check> checks;    ///< [[checks]], in file order (topology/experiment.h)
  std::vector<Step> steps;      ///< [[steps]], in file order
  Collect collect;              ///< [collect]

  const Node* find_node(std::string_view name) const;
  const Bridge* find_bridge(std::string_view name) const;

  bool operator==(const Lab&) const = default;
};

}  // namespace nettopo::topology
