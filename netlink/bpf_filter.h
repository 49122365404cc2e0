#pragma once

// Packet loss without netem: a few-instruction BPF program, loaded with the bpf() system call and
// attached with cls_bpf in direct-action mode to a clsact qdisc. Needs no library and no netem:
// only CONFIG_NET_CLS_BPF, CONFIG_NET_SCH_INGRESS (clsact) and CONFIG_BPF_SYSCALL.

#include <linux/bpf.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/sys/unique_fd.h"
#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// The two hooks of a clsact qdisc.
enum class ClsactHook { Ingress, Egress };

/// The tc parent of a clsact hook (TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS or _EGRESS)).
uint32_t clsact_parent(ClsactHook hook);

/// The threshold a random 32-bit number is compared against to drop `percent` of the packets:
/// percent/100 * 2^32, rounded, clamped to [0, 2^32].
uint64_t drop_threshold(double percent);

/// A program for BPF_PROG_TYPE_SCHED_CLS in direct-action mode that drops `percent` of the
/// packets at random (bpf_get_prandom_u32() below drop_threshold: TC_ACT_SHOT, else TC_ACT_OK).
/// 100 or more gives the two-instruction blackhole: every packet TC_ACT_SHOT.
std::vector<bpf_insn> drop_program(double percent);

/// Loads `program` with bpf(BPF_PROG_LOAD) as BPF_PROG_TYPE_SCHED_CLS under `name` (at most 15
/// characters). The fd is close-on-exec (the kernel always makes it so). Throws SystemError
/// with the verifier's log when the kernel refuses the program, naming kernel options when
/// the bpf() syscall is missing (ENOSYS) or forbidden (EPERM).
UniqueFd load_sched_cls_program(std::span<const bpf_insn> program, const std::string& name);

/// RTM_NEWQDISC: a clsact qdisc on `ifindex` (the hooks filters attach to). EEXIST when it has
/// one already.
Request clsact_request(int ifindex);
/// RTM_DELQDISC: removes the clsact qdisc of `ifindex` with every filter on it.
Request clsact_delete_request(int ifindex);

/// The preference (priority) and handle nettopo's filter is attached under; one per hook.
inline constexpr uint16_t kBpfFilterPriority = 1;
inline constexpr uint32_t kBpfFilterHandle = 1;

/// RTM_NEWTFILTER: attaches the loaded program `program_fd` with cls_bpf to `hook` of
/// `ifindex`'s clsact qdisc, for every protocol, in direct-action mode (TCA_BPF_FLAG_ACT_DIRECT:
/// the program's return value is the verdict), under `name` (TCA_BPF_NAME, what a dump shows).
/// Created with NLM_F_CREATE | NLM_F_REPLACE: a filter already there is replaced atomically.
Request bpf_filter_request(int ifindex, ClsactHook hook, int program_fd, const std::string& name);
/// RTM_DELTFILTER: removes nettopo's filter from `hook` of `ifindex`.
Request bpf_filter_delete_request(int ifindex, ClsactHook hook);

/// A cls_bpf filter as the kernel reports it.
struct BpfFilterInfo {
  int ifindex = 0;
  uint32_t parent = 0;
  uint32_t handle = 0;
  uint16_t priority = 0;
  std::string kind;         ///< "bpf" for cls_bpf; other classifiers are reported by kind only
  std::string name;         ///< TCA_BPF_NAME
  uint32_t program_id = 0;  ///< TCA_BPF_ID
  bool direct_action = false;
};

/// Decodes one RTM_NEWTFILTER message. Throws nettopo::Error when it is not one.
BpfFilterInfo parse_filter(const nlmsghdr* message);
/// The filters on `hook` of `ifindex` (empty when it has no clsact qdisc).
std::vector<BpfFilterInfo> list_filters(Socket& socket, int ifindex, ClsactHook hook);

}  // namespace nettopo::netlink
