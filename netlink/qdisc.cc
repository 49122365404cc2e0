#include "netlink/qdisc.h"

#include <libmnl/libmnl.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "netlink/socket.h"
#include "netlink/tc_message.h"

namespace nettopo::netlink {
namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

uint32_t saturate(uint64_t value) { return static_cast<uint32_t>(std::min(value, kU32Max)); }

// The kernel's scheduler tick is 64 ns (PSCHED_SHIFT = 6: PSCHED_TICKS2NS(x) = x << 6), which is
// what /proc/net/psched advertises and tc converts to.
uint32_t ticks_from_ns(uint64_t ns) { return saturate(ns >> 6); }

uint16_t create_flags(bool change) { return change ? 0 : NLM_F_CREATE | NLM_F_EXCL; }

Request tbf(int ifindex, const TbfSpec& spec, bool change, uint32_t handle, uint32_t parent) {
  uint64_t rate = spec.rate_bytes_per_second;
  if (rate == 0)
    throw Error("tbf on ifindex " + std::to_string(ifindex) + ": rate must be positive");
  uint32_t burst = tbf_burst_bytes(spec);

  tc_tbf_qopt parameters{};
  parameters.rate.rate = saturate(rate);
  // A link-layer-aware rate makes the kernel compute transmit times itself instead of reading
  // them from a rate table (sch_tbf.c reads TCA_TBF_RTAB only for TC_LINKLAYER_UNAWARE).
  parameters.rate.linklayer = TC_LINKLAYER_ETHERNET;
  // The bucket as the time the burst takes at the rate.
  parameters.buffer = ticks_from_ns(static_cast<uint64_t>(
      std::min(static_cast<double>(burst) * 1e9 / static_cast<double>(rate), 1.8e19)));
  // Bytes that may wait: what the rate drains in `latency`, plus the bucket (as tc computes it).
  double limit = static_cast<double>(rate) * spec.latency_us / 1e6 + burst;
  parameters.limit = saturate(static_cast<uint64_t>(std::min(limit, static_cast<double>(kU32Max))));

  Request request(RTM_NEWQDISC, create_flags(change), tc_header(ifindex, handle, parent));
  request.put(TCA_KIND, "tbf");
  request.nest(TCA_OPTIONS, [&] {
    request.put_bytes(TCA_TBF_PARMS, &parameters, sizeof parameters);
    request.put(TCA_TBF_BURST, burst);
    if (rate > kU32Max) request.put(TCA_TBF_RATE64, rate);
  });
  return request;
}

}  // namespace

uint32_t tbf_burst_bytes(const TbfSpec& tbf) {
  if (tbf.burst_bytes != 0) return tbf.burst_bytes;
  // At least 10 ms worth of the rate (a timer tick at HZ=100), and never less than a handful of
  // full-size frames, or the bucket cannot hold one packet and tbf drops everything.
  return saturate(std::max<uint64_t>(tbf.rate_bytes_per_second / 100, uint64_t{16} * 1024));
}

Request tbf_request(int ifindex, const TbfSpec& spec, bool change) {
  return tbf(ifindex, spec, change, kRootQdiscHandle, TC_H_ROOT);
}

Request tbf_under_netem_request(int ifindex, const TbfSpec& spec, bool change) {
  return tbf(ifindex, spec, change, kUnderNetemQdiscHandle, kUnderNetemParent);
}

Request netem_request(int ifindex, const NetemSpec& netem, bool change) {
  uint64_t delay_ns = uint64_t{netem.delay_us} * 1000;
  uint64_t jitter_ns = uint64_t{netem.jitter_us} * 1000;
  tc_netem_qopt options{};
  options.latency = ticks_from_ns(delay_ns);
  options.jitter = ticks_from_ns(jitter_ns);
  options.limit = netem.limit;
  // A probability is a fraction of 2^32-1 (tc's get_percent).
  double loss = std::clamp(netem.loss_percent, 0.0, 100.0) / 100.0;
  options.loss = saturate(static_cast<uint64_t>(std::llround(loss * static_cast<double>(kU32Max))));

  Request request(RTM_NEWQDISC, create_flags(change),
                  tc_header(ifindex, kRootQdiscHandle, TC_H_ROOT));
  request.put(TCA_KIND, "netem");
  // netem's TCA_OPTIONS is not a plain nest: a tc_netem_qopt comes first, attributes after it.
  request.nest(TCA_OPTIONS, options, [&] {
    request.put(TCA_NETEM_LATENCY64, static_cast<int64_t>(delay_ns));
    request.put(TCA_NETEM_JITTER64, static_cast<int64_t>(jitter_ns));
  });
  if (!change) {
    // Without sch_netem the kernel knows no qdisc of that kind: "Specified qdisc kind is
    // unknown", ENOENT; a kind it knows of but cannot build answers EOPNOTSUPP.
    std::string hint = std::string("the kernel ") + kNoNetem;
    request.explain(ENOENT, hint).explain(EOPNOTSUPP, hint);
  }
  return request;
}

void add_netem(Socket& socket, int ifindex, const NetemSpec& netem) {
  Request request = netem_request(ifindex, netem);
  socket.execute(request, "add netem qdisc on", "ifindex " + std::to_string(ifindex));
}

Request qdisc_delete_request(int ifindex) {
  return Request(RTM_DELQDISC, 0, tc_header(ifindex, 0, TC_H_ROOT));
}

bool netem_available() {
  static const bool available = [] {
    UniqueFd probe_namespace = create_network_namespace();
    Socket socket = Socket::open_in(probe_namespace);
    constexpr int kLoopback = 1;  // lo is ifindex 1 in every namespace
    try {
      add_netem(socket, kLoopback, NetemSpec{});
    } catch (const NetlinkError& error) {
      if (error.error_number() == ENOENT || error.error_number() == EOPNOTSUPP) return false;
      throw;
    }
    return true;
  }();
  return available;
}

void require_netem(const std::string& needing, const std::string& instead) {
  if (netem_available()) return;
  throw Error(needing + " need the netem qdisc, and this kernel " + kNoNetem + "; " + instead);
}

namespace {

// TCA_STATS2: a nest of gnet_stats structures (linux/gen_stats.h).
void parse_stats(const nlattr* stats, QdiscInfo& qdisc) {
  mnl_attr_parse_nested(
      stats,
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<QdiscInfo*>(data);
        const void* payload = mnl_attr_get_payload(attribute);
        size_t length = mnl_attr_get_payload_len(attribute);
        switch (mnl_attr_get_type(attribute)) {
          case TCA_STATS_BASIC: {
            gnet_stats_basic basic{};
            std::memcpy(&basic, payload, std::min(length, sizeof basic));
            out.bytes = basic.bytes;
            out.packets = std::max<uint64_t>(out.packets, basic.packets);
            break;
          }
          case TCA_STATS_PKT64:  // the packet count once it outgrows gnet_stats_basic's 32 bits
            if (length == sizeof(uint64_t)) out.packets = mnl_attr_get_u64(attribute);
            break;
          case TCA_STATS_QUEUE: {
            gnet_stats_queue queue{};
            std::memcpy(&queue, payload, std::min(length, sizeof queue));
            out.drops = queue.drops;
            out.overlimits = queue.overlimits;
            break;
          }
          default:
            break;
        }
        return MNL_CB_OK;
      },
      &qdisc);
}

void parse_tbf_options(const nlattr* options, QdiscInfo& qdisc) {
  struct Parsed {
    std::optional<tc_tbf_qopt> parameters;
    uint64_t rate64 = 0;
  } parsed;
  mnl_attr_parse_nested(
      options,
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<Parsed*>(data);
        if (mnl_attr_get_type(attribute) == TCA_TBF_PARMS &&
            mnl_attr_get_payload_len(attribute) >= sizeof(tc_tbf_qopt)) {
          tc_tbf_qopt parameters;
          std::memcpy(&parameters, mnl_attr_get_payload(attribute), sizeof parameters);
          out.parameters = parameters;
        } else if (mnl_attr_get_type(attribute) == TCA_TBF_RATE64 &&
                   mnl_attr_validate(attribute, MNL_TYPE_U64) >= 0) {
          out.rate64 = mnl_attr_get_u64(attribute);
        }
        return MNL_CB_OK;
      },
      &parsed);
  if (!parsed.parameters) return;
  TbfInfo tbf;
  tbf.rate_bytes_per_second = parsed.rate64 != 0 ? parsed.rate64 : parsed.parameters->rate.rate;
  tbf.limit_bytes = parsed.parameters->limit;
  // The kernel keeps the bucket as a time (buffer, in 64 ns ticks); at the rate that is bytes.
  double seconds = static_cast<double>(uint64_t{parsed.parameters->buffer} << 6) / 1e9;
  tbf.burst_bytes = saturate(static_cast<uint64_t>(
      std::llround(seconds * static_cast<double>(tbf.rate_bytes_per_second))));
  qdisc.tbf = tbf;
}

// netem's TCA_OPTIONS: a tc_netem_qopt, then attributes (netem_request writes it that way).
void parse_netem_options(const nlattr* options, QdiscInfo& qdisc) {
  size_t length = mnl_attr_get_payload_len(options);
  if (length < sizeof(tc_netem_qopt)) return;
  tc_netem_qopt parameters;
  std::memcpy(&parameters, mnl_attr_get_payload(options), sizeof parameters);
  NetemInfo netem;
  netem.delay_us = saturate((uint64_t{parameters.latency} << 6) / 1000);
  netem.jitter_us = saturate((uint64_t{parameters.jitter} << 6) / 1000);
  netem.loss_percent = static_cast<double>(parameters.loss) * 100.0 / static_cast<double>(kU32Max);
  // The nanosecond attributes, when present, are exact where the ticks are not.
  const auto* payload = static_cast<const uint8_t*>(mnl_attr_get_payload(options));
  size_t skip = MNL_ALIGN(sizeof parameters);
  if (length > skip) {
    mnl_attr_parse_payload(
        payload + skip, length - skip,
        [](const nlattr* attribute, void* data) {
          auto& out = *static_cast<NetemInfo*>(data);
          if (mnl_attr_get_payload_len(attribute) != sizeof(int64_t)) return MNL_CB_OK;
          auto ns = static_cast<uint64_t>(static_cast<int64_t>(mnl_attr_get_u64(attribute)));
          if (mnl_attr_get_type(attribute) == TCA_NETEM_LATENCY64)
            out.delay_us = saturate(ns / 1000);
          if (mnl_attr_get_type(attribute) == TCA_NETEM_JITTER64)
            out.jitter_us = saturate(ns / 1000);
          return MNL_CB_OK;
        },
        &netem);
  }
  qdisc.netem = netem;
}

}  // namespace

QdiscInfo parse_qdisc(const nlmsghdr* message) {
  TcMessage read = read_tc_message(message, RTM_NEWQDISC, "RTM_NEWQDISC");
  QdiscInfo qdisc;
  qdisc.ifindex = read.header->tcm_ifindex;
  qdisc.handle = read.header->tcm_handle;
  qdisc.parent = read.header->tcm_parent;
  qdisc.kind = std::move(read.kind);
  if (read.stats != nullptr) parse_stats(read.stats, qdisc);
  if (read.options != nullptr && qdisc.kind == "tbf") parse_tbf_options(read.options, qdisc);
  if (read.options != nullptr && qdisc.kind == "netem") parse_netem_options(read.options, qdisc);
  return qdisc;
}

std::vector<QdiscInfo> list_qdiscs(Socket& socket, int ifindex) {
  // With strict checking the kernel dumps only tcm_ifindex's qdiscs when it is set.
  Request request(RTM_GETQDISC, 0, tc_header(ifindex, 0, 0));
  std::vector<QdiscInfo> qdiscs;
  socket.dump(
      request,
      [&](const nlmsghdr* message) {
        QdiscInfo qdisc = parse_qdisc(message);
        if (ifindex == 0 || qdisc.ifindex == ifindex) qdiscs.push_back(std::move(qdisc));
      },
      "list qdiscs");
  return qdiscs;
}

}  // namespace nettopo::netlink
