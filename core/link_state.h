#pragma once

// A running lab's links as the kernel has them now: what `status` and `link show` print, and
// what `link set` starts from. Read through netlink in each namespace, never from the lab file.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sys/ip_address.h"
#include "netlink/bpf_filter.h"
#include "netlink/link_status.h"
#include "netlink/qdisc.h"
#include "topology/model.h"

namespace nettopo {

struct RunningLab;

/// How one end of a link treats what it sends. Rate, delay and jitter are qdiscs on the end's
/// egress. Loss is netem there when the end has delay or jitter too, else a BPF filter on the
/// ingress of the other end (as is a blackhole).
struct EndImpairments {
  topology::Impairments impairments;
  bool blackhole = false;

  bool empty() const { return impairments.empty() && !blackhole; }
  bool operator==(const EndImpairments&) const = default;
};

/// The names nettopo gives its BPF filters, so that reading them back says what they do.
inline constexpr std::string_view kBlackholeFilterName = "nettopo blackhole";
inline constexpr std::string_view kLossFilterPrefix = "nettopo loss ";  // then "20%"
/// The name of the filter dropping `percent`: "nettopo loss 20%".
std::string loss_filter_name(double percent);

/// Values written as a lab file writes them: 10mbit, 1.5gbit, 20ms, 500us, 20%, 0.5%.
std::string format_rate(uint64_t bits_per_second);
std::string format_duration_us(uint32_t microseconds);
std::string format_percent(double percent);
/// "rate 10mbit, delay 20ms, loss 20%", "blackhole", or "" when there are none.
std::string describe(const EndImpairments& impairments);

/// One interface of a namespace, read from the kernel.
struct InterfaceState {
  netlink::LinkStatus status;
  std::vector<IpPrefix> addresses;  ///< every address on it, those a daemon added included
  std::vector<netlink::QdiscInfo> qdiscs;
  std::vector<netlink::BpfFilterInfo> ingress_filters;  ///< on its clsact ingress hook

  const std::string& name() const { return status.link.name; }
};

/// The interfaces of one node's or bridge's network namespace.
struct NamespaceState {
  std::string name;
  std::optional<std::string> error;  ///< set when the namespace could not be read (its init died)
  std::vector<InterfaceState> interfaces;

  const InterfaceState* find(std::string_view interface) const;
};

/// Reads namespace `name` (a node or bridge of `lab`): interfaces with state, counters and
/// addresses; with `with_tc`, qdiscs and the filters nettopo attaches too. Never throws for a
/// namespace that is gone: `error` says why.
NamespaceState read_namespace_state(const RunningLab& lab, const std::string& name,
                                    bool with_tc = true);

/// What the end with interface `sender` does to what it sends, given the interface at the other
/// end (`receiver`, where a BPF loss filter sits; nullptr when unknown).
EndImpairments impairments_of(const InterfaceState& sender, const InterfaceState* receiver);

}  // namespace nettopo
