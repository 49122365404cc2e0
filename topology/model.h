#pragma once

// The typed model of a lab: what a topology file says, after validation and resolution
// (every interface named, every address and route filled in). Plain data, no system calls.

#include <array>
#include <cstdint>
#include <map>
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
/// A file nettopo generates (a routing daemon's configuration) has `content` and no source.
struct FileSpec {
  std::string inside_path;
  std::string source_path;  ///< absolute; empty when generated
  SourceLocation where;
  std::optional<std::string> content;  ///< the whole file, when nettopo generated it

  bool operator==(const FileSpec&) const = default;
};

/// A routing daemon that nettopo configures and starts in a node: the built-in kinds `frr` and
/// `bird` (topology/routing/daemon_setup.h turns it into the node's dirs, files and steps).
enum class RoutingDaemon { None, Frr, Bird };

struct Node {
  std::string name;
  std::string kind;  ///< the kind it was made from, "" for none; for display
  bool forward =
      false;  ///< IP forwarding (set by the user, or by static routing for transit nodes)
  std::vector<std::pair<std::string, std::string>> sysctls;  ///< in file order
  std::vector<std::pair<std::string, std::string>> env;      ///< in file order
  std::vector<std::string> dirs;                             ///< absolute paths, private per node
  std::vector<FileSpec> files;
  std::vector<Route> routes;      ///< written routes first, then automatic ones
  std::vector<std::string> exec;  ///< shell command lines, run once in order after links are up
  std::vector<std::string> run;   ///< shell command lines, long-running, logged
  /// Shell command lines run in order after the node's programs started; each must exit 0
  /// (a daemon answering, its configuration loaded) before `up` returns.
  std::vector<std::string> ready;
  RoutingDaemon daemon = RoutingDaemon::None;
  std::vector<std::string> daemons;  ///< FRR only: the daemons to start besides zebra
  std::string daemon_config;         ///< the user's own daemon config (absolute); "" = generated
  std::optional<uint32_t> asn;       ///< BGP autonomous system
  std::vector<IpPrefix> loopbacks;   ///< /32 and /128 on lo, from the [addressing] loopback pools
  SourceLocation where;

  /// Routers get loopbacks. Those that run a daemon take part in [routing.ospf] and
  /// [routing.bgp]; a plain forwarding node routes as its own routes or programs say.
  bool is_router() const { return forward || daemon != RoutingDaemon::None; }
  bool runs_daemon() const { return daemon != RoutingDaemon::None; }
  /// The IPv4 loopback, which is also the router ID.
  std::optional<IpAddress> router_id() const;

  bool operator==(const Node&) const = default;
};

/// An L2 segment: a Linux bridge in a network namespace of its own.
struct Bridge {
  std::string name;
  SourceLocation where;
  bool stp = false;  ///< the kernel's spanning tree on, so a loop of bridges is allowed

  bool operator==(const Bridge&) const = default;
};

/// [routing.ospf]: OSPFv2 on every router interface, OSPFv3 where the lab has IPv6.
struct OspfSettings {
  std::string area = "0.0.0.0";
  uint32_t hello_seconds = 1;
  uint32_t dead_seconds = 4;
  SourceLocation where;

  bool operator==(const OspfSettings&) const = default;
};

/// [routing.bgp]: eBGP on links between routers of different AS, iBGP between the loopbacks of
/// routers in one AS.
struct BgpSettings {
  /// `asn` in [routing.bgp]: the AS of routers that name none; one AS shared by all of them
  /// (asn_shared), or one per router from the range asn_first..asn_last. 0 = no pool.
  uint32_t asn_first = 0;
  uint32_t asn_last = 0;
  bool asn_shared = false;
  SourceLocation asn_where;
  uint32_t keepalive_seconds = 1;
  uint32_t hold_seconds = 3;
  SourceLocation where;

  bool operator==(const BgpSettings&) const = default;
};

struct Lab {
  std::string name;
  std::string source_file;  ///< absolute path of the topology file
  std::optional<IpPrefix> ipv4_pool;
  std::optional<IpPrefix> ipv6_pool;
  std::optional<IpPrefix> loopback_pool;   ///< [addressing] loopback
  std::optional<IpPrefix> loopback6_pool;  ///< [addressing] loopback6
  bool static_routing = false;
  std::optional<OspfSettings> ospf;
  std::optional<BgpSettings> bgp;
  std::vector<Node> nodes;      ///< in file order
  std::vector<Bridge> bridges;  ///< in file order
  std::vector<Link> links;      ///< in file order
  std::vector<Check> checks;    ///< [[checks]], in file order (topology/experiment.h)
  std::vector<Step> steps;      ///< [[steps]], in file order
  Collect collect;              ///< [collect]

  /// Index in `nodes` of the node called `name`; nullopt when there is none. The one lookup of
  /// a node by name: find_node() and the graph's walks are built on it.
  std::optional<size_t> node_index(std::string_view name) const;
  const Node* find_node(std::string_view name) const;
  const Bridge* find_bridge(std::string_view name) const;

  bool operator==(const Lab&) const = default;
};

/// Lab::node_index for many lookups: a map of the names, built once. A walk of every link that
/// looked each end up with node_index cost links times nodes. Holds views of the names: `lab`
/// must outlive it, its nodes unchanged.
class NodeIndex {
 public:
  explicit NodeIndex(const Lab& lab);
  std::optional<size_t> of(std::string_view name) const;

 private:
  std::map<std::string_view, size_t, std::less<>> index_;
};

}  // namespace nettopo::topology
