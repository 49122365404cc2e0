#pragma once

// What qdiscs (qdisc.cc) and filters (bpf_filter.cc) share on the wire: the tcmsg header of a
// request, and the first reading of an answer (its header, TCA_KIND, and where TCA_OPTIONS and
// TCA_STATS2 lie, to be decoded by kind).

#include <linux/rtnetlink.h>

#include <cstdint>
#include <string>

struct nlattr;
struct nlmsghdr;

namespace nettopo::netlink {

/// A tcmsg for `ifindex` (AF_UNSPEC). `info` is a filter's preference and protocol; 0 for qdiscs.
tcmsg tc_header(int ifindex, uint32_t handle, uint32_t parent, uint32_t info = 0);

/// A traffic-control answer, read once. Pointers point into the message, which must outlive it.
struct TcMessage {
  const tcmsg* header = nullptr;
  std::string kind;                 ///< TCA_KIND: "tbf", "netem", "bpf"; empty when absent
  const nlattr* options = nullptr;  ///< TCA_OPTIONS, laid out by kind; nullptr when absent
  const nlattr* stats = nullptr;    ///< TCA_STATS2; nullptr when absent
};

/// Reads `message`, which must be of `type` (RTM_NEWQDISC, RTM_NEWTFILTER) and hold a tcmsg;
/// throws Error "netlink: expected an `type_name` message" otherwise. TCA_KIND may come after
/// TCA_OPTIONS, so options are collected here and decoded by the caller once the kind is known.
TcMessage read_tc_message(const nlmsghdr* message, uint16_t type, const char* type_name);

}  // namespace nettopo::netlink
