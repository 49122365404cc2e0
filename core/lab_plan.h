#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/sys/ip_address.h"
#include "topology/model.h"

namespace nettopo {

/// Everything `up` will ask of the kernel, as data: no system call is made here, so the plan is
/// unit-tested without root, printed by `up --dry-run` and applied by execute_plan() (see
/// plan_executor.h) through one walk of `steps`.
///
/// Interfaces get fixed ifindexes (lo is 1; a node's links take 2, 3, ... in link order; a
/// bridge's device is 2 and its ports follow), so that addresses, routes and ports can be
/// configured in the same pipelined batch as the links, with no lookups.
struct PlannedInterface {
  size_t owner = 0;  ///< index into LabPlan::namespaces
  std::string name;
  int ifindex = 0;
  std::vector<IpPrefix> addresses;
  std::optional<MacAddress> mac;
  std::optional<uint32_t> mtu;
  int master_ifindex = 0;  ///< the bridge device, for bridge ports
  topology::Impairments impairments;
};

/// A node or a bridge: the namespaces its init is cloned into, and what runs there.
struct PlannedNamespace {
  std::string name;  ///< node or bridge name
  bool is_bridge = false;
  int clone_flags = 0;             ///< CLONE_NEW* flags of its init
  std::string bridge_device;       ///< bridges only: the bridge's device name (ifindex 2)
  std::vector<size_t> interfaces;  ///< indices into LabPlan::interfaces, lo aside
  /// nodes with loopback addresses: lo (ifindex 1), an index into LabPlan::interfaces
  std::optional<size_t> loopback;
  bool stp = false;                                        ///< bridges only: spanning tree on
  std::vector<std::string> dirs;                           ///< nodes only: private directories
  std::vector<std::pair<std::string, std::string>> files;  ///< (source, path inside)
  std::vector<std::string> exec;                           ///< exec steps, in order
  std::vector<std::string> run;                            ///< programs
  std::vector<std::string> ready;  ///< ready steps, run after the programs started
};

struct PlannedVeth {
  size_t a = 0;  ///< index into LabPlan::interfaces
  size_t b = 0;
};

struct PlannedRoute {
  size_t owner = 0;
  IpPrefix destination;
  std::optional<IpAddress> via;
  int oif = 0;
  uint32_t metric = 0;
};

struct PlannedSysctl {
  size_t owner = 0;
  std::string key;
  std::string value;
};

/// The kinds of step. Each names its objects by index into the plan's tables; a kernel
/// (kernel.h) has one operation per kind.
namespace step {

/// Write the lab's runtime files: its model, the hosts file nodes see as /etc/hosts, the log
/// directories.
struct WriteRuntimeFiles {};
/// Start the init of namespaces[ns] in new namespaces (clone_flags), with its private dirs and
/// files mounted. Inits start pipelined; Wait{kNamespaces} waits until all are set up.
struct StartNamespace {
  size_t ns;
};
/// Name the network namespace of namespaces[ns] under /run/netns. Names are mount work and run
/// beside the netlink work; Wait{kNames} waits for them.
struct NameNamespace {
  size_t ns;
};
struct WriteSysctl {
  size_t sysctl;  ///< index into LabPlan::sysctls
};
/// Create namespaces[ns].bridge_device at ifindex 2.
struct CreateBridge {
  size_t ns;
};
/// Create veths[veth], each end directly in its namespace under its final name.
struct CreateVeth {
  size_t veth;
};
/// Make interfaces[interface] a port of its namespace's bridge.
struct AttachPort {
  size_t interface;
};
struct AddAddress {
  size_t interface;
  size_t address;  ///< index into interfaces[interface].addresses
};
/// Set a link up: an interface, a bridge device or lo.
struct SetUp {
  size_t ns;
  int ifindex;
  std::string name;
};
struct AddRoute {
  size_t route;  ///< index into LabPlan::routes
};
/// netem (delay, jitter, loss) at the root of interfaces[interface].
struct AddNetem {
  size_t interface;
};
/// tbf (rate); under netem when the interface has both.
struct AddTbf {
  size_t interface;
};
/// Loss without netem: a clsact qdisc on interfaces[interface] and a BPF filter on its ingress
/// that drops the link's loss of what interfaces[sender], the other end, sends (the same filter
/// `nettopo link set --loss` attaches: netlink/bpf_filter.h). For links with loss and neither
/// delay nor jitter; with those, netem carries the loss.
struct AddLossFilter {
  size_t interface;
  size_t sender;
};
/// Run namespaces[ns].exec[index] in the node, or with `ready` namespaces[ns].ready[index]
/// (after the programs started); it must exit 0. Steps of one node run in order.
struct RunExec {
  size_t ns;
  size_t index;
  bool ready = false;
};
/// Start namespaces[ns].run[index] in the node, to run on its own.
struct StartProgram {
  size_t ns;
  size_t index;
};
/// Wait until every earlier step of one kind has taken effect: the steps before it were sent
/// without waiting for answers, so that the kernel works on many at once.
struct Wait {
  enum What { kNamespaces, kNetlink, kNames, kExec } what;
};
/// Where a phase of `up` begins: for progress display, timing and interruption (^C takes effect
/// between phases). Not a kernel operation.
struct Phase {
  std::string doing;  ///< "creating 4 namespaces"
  std::string done;   ///< "4 namespaces ready", logged with the phase's duration
};

}  // namespace step

using Step =
    std::variant<step::WriteRuntimeFiles, step::StartNamespace, step::NameNamespace,
                 step::WriteSysctl, step::CreateBridge, step::CreateVeth, step::AttachPort,
                 step::AddAddress, step::SetUp, step::AddRoute, step::AddNetem, step::AddTbf,
                 step::RunExec, step::StartProgram, step::Wait, step::Phase, step::AddLossFilter>;

/// The command line of an exec or ready step, and how messages name it ("exec step 2").
const std::string& command_of(const PlannedNamespace& ns, const step::RunExec& step);
std::string label_of(const step::RunExec& step);

struct LabPlan {
  std::string lab;
  std::vector<PlannedNamespace> namespaces;  ///< nodes in lab order, then bridges
  std::vector<PlannedInterface> interfaces;
  std::vector<PlannedVeth> veths;
  std::vector<PlannedRoute> routes;
  std::vector<PlannedSysctl> sysctls;
  /// What `up` does, in order. The executor and --dry-run both walk exactly this.
  std::vector<Step> steps;

  size_t node_count = 0;  ///< namespaces[0, node_count) are nodes, lab.nodes[i] is namespaces[i]
  /// Whether an interface has delay or jitter (see nettopo::needs_netem).
  bool needs_netem() const;
  /// Human-readable, one kernel operation per line, for --dry-run: execute_plan() on a kernel
  /// that prints (DescribingKernel), so it lists exactly what `up` does, in its order.
  std::string describe() const;
};

/// Whether `impairments` need the netem qdisc: delay or jitter. Loss alone does not (it is a
/// BPF filter, step::AddLossFilter); with delay or jitter, netem carries the loss too.
/// (topology::Impairments::needs_netem() counts loss as well: it describes the file, not up.)
bool needs_netem(const topology::Impairments& impairments);

/// Derives the plan of a resolved lab. Throws Error on what the topology cannot express to the
/// kernel (a sysctl outside net.*).
LabPlan make_plan(const topology::Lab& lab);

}  // namespace nettopo
