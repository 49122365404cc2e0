#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// A token bucket: shapes a link's egress to a rate.
struct TbfSpec {
  uint64_t rate_bytes_per_second = 0;
  uint32_t burst_bytes = 0;     // 0 = 10 ms at the rate, at least 16 KiB (tbf_burst_bytes)
  uint32_t latency_us = 50000;  // how long a packet may wait for tokens; sets the queue limit
};

/// Network emulation: delay, jitter and loss on a link's egress.
struct NetemSpec {
  uint32_t delay_us = 0;
  uint32_t jitter_us = 0;
  double loss_percent = 0;  // 0..100
  uint32_t limit = 1000;    // packets queued at most
};

/// Handles nettopo uses. A link has either tbf alone at the root (1:), netem alone at the root
/// (1:), or both: netem at the root (1:) and tbf as its child (parent 1:1, handle 2:), the layout
/// tc-netem(8) shows for rate control, so delayed packets are shaped after the delay.
inline constexpr uint32_t kRootQdiscHandle = 0x00010000;        // 1:
inline constexpr uint32_t kUnderNetemParent = 0x00010001;       // 1:1
inline constexpr uint32_t kUnderNetemQdiscHandle = 0x00020000;  // 2:

/// Why a netem qdisc cannot be made, said of "the kernel" (the hint a refused creation carries)
/// or "this kernel" (require_netem()'s refusal): the one wording of it.
inline constexpr const char* kNoNetem = "has no netem qdisc (CONFIG_NET_SCH_NETEM)";

/// The burst a TbfSpec asks for, derived from the rate when it gives none.
uint32_t tbf_burst_bytes(const TbfSpec& tbf);

/// RTM_NEWQDISC: tbf as the root qdisc (handle 1:) of `ifindex`. Created with
/// NLM_F_CREATE | NLM_F_EXCL; with `change`, flags 0: the existing tbf is modified in place, as
/// `tc qdisc change` does (ENOENT when there is none). Throws nettopo::Error for a zero rate.
/// The rate travels with its link layer set to Ethernet, so no rate table (TCA_TBF_RTAB) is
/// needed; TCA_TBF_BURST gives the burst in bytes and TCA_TBF_RATE64 rates beyond 4 GB/s.
Request tbf_request(int ifindex, const TbfSpec& tbf, bool change = false);
/// The same tbf as the child of a root netem (parent 1:1, handle 2:); add the netem first.
Request tbf_under_netem_request(int ifindex, const TbfSpec& tbf, bool change = false);

/// RTM_NEWQDISC: netem as the root qdisc (handle 1:). TCA_OPTIONS carries a tc_netem_qopt
/// (delay and jitter in scheduler ticks, loss scaled to 2^32-1) followed by TCA_NETEM_LATENCY64
/// and TCA_NETEM_JITTER64 in nanoseconds. When the kernel answers ENOENT or EOPNOTSUPP to the
/// creation, the NetlinkError's hint is "the kernel " + kNoNetem.
Request netem_request(int ifindex, const NetemSpec& netem, bool change = false);
/// Executes netem_request on `socket`. Throws NetlinkError (naming kNoNetem when netem is
/// missing).
void add_netem(Socket& socket, int ifindex, const NetemSpec& netem);

/// Removes the root qdisc of `ifindex` (and its children), back to the kernel's default.
Request qdisc_delete_request(int ifindex);

/// True when this kernel can create netem qdiscs. Asked once, by creating one on lo in a
/// throwaway namespace, then cached. Needs the privilege to create namespaces; throws
/// SystemError without it, and NetlinkError when the probe fails for another reason.
bool netem_available();

/// Refuses, before anything is changed, what needs netem on a kernel without it: throws Error
/// "NEEDING need the netem qdisc, and this kernel has no netem qdisc (...); INSTEAD" unless
/// netem_available(). `needing` names what asked for it ("lab x: links with delay ..."),
/// `instead` what works without it ("loss alone works without it").
void require_netem(const std::string& needing, const std::string& instead);

/// A tbf's parameters as the kernel reports them (TCA_TBF_PARMS, TCA_TBF_RATE64).
struct TbfInfo {
  uint64_t rate_bytes_per_second = 0;
  uint32_t burst_bytes = 0;  // the bucket, converted back from the time it takes at the rate
  uint32_t limit_bytes = 0;  // bytes that may wait for tokens
};

/// A netem's parameters as the kernel reports it (tc_netem_qopt, TCA_NETEM_LATENCY64/JITTER64).
struct NetemInfo {
  uint32_t delay_us = 0;
  uint32_t jitter_us = 0;
  double loss_percent = 0;
};

/// A queueing discipline as the kernel reports it.
struct QdiscInfo {
  int ifindex = 0;
  uint32_t handle = 0;
  uint32_t parent = 0;
  std::string kind;
  // What went through it (TCA_STATS2). The counters start at zero when a qdisc is created and
  // survive a change in place.
  uint64_t bytes = 0;
  uint64_t packets = 0;
  uint32_t drops = 0;
  uint32_t overlimits = 0;           // for tbf: times a packet had to wait for tokens
  std::optional<TbfInfo> tbf{};      // set for kind "tbf"
  std::optional<NetemInfo> netem{};  // set for kind "netem"
};

/// Decodes one RTM_NEWQDISC message. Throws nettopo::Error when it is not one.
QdiscInfo parse_qdisc(const nlmsghdr* message);
/// The qdiscs in the socket's namespace; only those of `ifindex` when it is not 0.
std::vector<QdiscInfo> list_qdiscs(Socket& socket, int ifindex = 0);

}  // namespace nettopo::netlink
