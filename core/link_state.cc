#include "core/link_state.h"

#include <fmt/ranges.h>
#include <linux/pkt_sched.h>

#include <cmath>
#include <sstream>

#include "core/running_lab.h"
#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "netlink/address.h"
#include "netlink/socket.h"
#include "topology/impairment_parser.h"

namespace nettopo {
namespace {

// "1.5" for 1.5, "20" for 20.0: the shortest text that reads back as (nearly) the same number.
std::string number(double value) {
  std::ostringstream text;
  text.precision(6);
  text << value;
  return text.str();
}

}  // namespace

std::string format_rate(uint64_t bits) {
  struct Unit {
    uint64_t size;
    const char* name;
  };
  for (Unit unit : {Unit{1'000'000'000'000, "tbit"}, Unit{1'000'000'000, "gbit"},
                    Unit{1'000'000, "mbit"}, Unit{1'000, "kbit"}}) {
    if (bits >= unit.size) {
      if (bits % unit.size == 0) return std::to_string(bits / unit.size) + unit.name;
      return number(static_cast<double>(bits) / static_cast<double>(unit.size)) + unit.name;
    }
  }
  return std::to_string(bits) + "bit";
}

std::string format_duration_us(uint32_t us) {
  if (us != 0 && us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us >= 1000) return number(us / 1000.0) + "ms";
  return std::to_string(us) + "us";
}

std::string format_percent(double percent) { return number(percent) + "%"; }

std::string loss_filter_name(double percent) {
  return std::string(kLossFilterPrefix) + format_percent(percent);
}

std::string describe(const EndImpairments& end) {
  std::vector<std::string> parts;
  auto add = [&](std::string part) { parts.push_back(std::move(part)); };
  const auto& impairments = end.impairments;
  if (impairments.rate_bits_per_second)
    add("rate " + format_rate(*impairments.rate_bits_per_second));
  if (impairments.delay_us) add("delay " + format_duration_us(*impairments.delay_us));
  if (impairments.jitter_us) add("jitter " + format_duration_us(*impairments.jitter_us));
  if (impairments.loss_percent) add("loss " + format_percent(*impairments.loss_percent));
  if (end.blackhole) add("blackhole");
  return fmt::format("{}", fmt::join(parts, ", "));
}

const InterfaceState* NamespaceState::find(std::string_view interface) const {
  for (const auto& each : interfaces)
    if (each.name() == interface) return &each;
  return nullptr;
}

NamespaceState read_namespace_state(const RunningLab& lab, const std::string& name, bool with_tc) {
  NamespaceState state;
  state.name = name;
  try {
    UniqueFd netns = open_namespace((lab.dir.netns_dir() / name).string());
    netlink::Socket socket = netlink::Socket::open_in(netns, lab.dir.lab() + "-" + name);
    for (auto& status : netlink::list_link_status(socket)) {
      InterfaceState interface;
      interface.status = std::move(status);
      state.interfaces.push_back(std::move(interface));
    }
    auto by_index = [&](int ifindex) -> InterfaceState* {
      for (auto& interface : state.interfaces)
        if (interface.status.link.index == ifindex) return &interface;
      return nullptr;
    };
    for (const auto& address : netlink::list_addresses(socket))
      if (auto* interface = by_index(address.ifindex))
        interface->addresses.push_back(address.prefix);
    if (with_tc) {
      for (auto& qdisc : netlink::list_qdiscs(socket)) {
        auto* interface = by_index(qdisc.ifindex);
        if (!interface) continue;
        // Only a clsact qdisc can hold filters nettopo put there: ask for those alone.
        if (qdisc.kind == "clsact")
          interface->ingress_filters =
              netlink::list_filters(socket, qdisc.ifindex, netlink::ClsactHook::Ingress);
        interface->qdiscs.push_back(std::move(qdisc));
      }
    }
  } catch (const Error& error) {
    state.error = error.what();
    state.interfaces.clear();
  }
  return state;
}

EndImpairments impairments_of(const InterfaceState& sender, const InterfaceState* receiver) {
  EndImpairments end;
  auto& impairments = end.impairments;
  for (const auto& qdisc : sender.qdiscs) {
    if (qdisc.tbf) impairments.rate_bits_per_second = qdisc.tbf->rate_bytes_per_second * 8;
    if (qdisc.netem) {
      if (qdisc.netem->delay_us) impairments.delay_us = qdisc.netem->delay_us;
      if (qdisc.netem->jitter_us) impairments.jitter_us = qdisc.netem->jitter_us;
      if (qdisc.netem->loss_percent > 0)
        // Back to the precision a lab file writes: the kernel keeps a fraction of 2^32.
        impairments.loss_percent = std::round(qdisc.netem->loss_percent * 1e4) / 1e4;
    }
  }
  if (receiver) {
    for (const auto& filter : receiver->ingress_filters) {
      if (filter.name == kBlackholeFilterName) end.blackhole = true;
      if (filter.name.starts_with(kLossFilterPrefix))
        impairments.loss_percent =
            topology::parse_percent(std::string_view(filter.name).substr(kLossFilterPrefix.size()));
    }
  }
  return end;
}

}  // namespace nettopo
