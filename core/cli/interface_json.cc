#include "core/cli/interface_json.h"

#include <linux/if.h>
#include <linux/pkt_sched.h>

#include <cstdio>

namespace nettopo::cli {

std::string tc_handle(uint32_t handle) {
  if (handle == TC_H_ROOT) return "root";
  if (handle == TC_H_CLSACT) return "clsact";
  if (handle == TC_H_UNSPEC) return "none";
  char text[24];
  if (TC_H_MIN(handle) == 0)
    std::snprintf(text, sizeof text, "%x:", TC_H_MAJ(handle) >> 16);
  else
    std::snprintf(text, sizeof text, "%x:%x", TC_H_MAJ(handle) >> 16, TC_H_MIN(handle));
  return text;
}

nlohmann::json impairments_json(const EndImpairments& end) {
  nlohmann::json json = nlohmann::json::object();
  const auto& impairments = end.impairments;
  if (impairments.rate_bits_per_second)
    json["rate"] = format_rate(*impairments.rate_bits_per_second);
  if (impairments.delay_us) json["delay"] = format_duration_us(*impairments.delay_us);
  if (impairments.jitter_us) json["jitter"] = format_duration_us(*impairments.jitter_us);
  if (impairments.loss_percent) json["loss"] = format_percent(*impairments.loss_percent);
  if (end.blackhole) json["blackhole"] = true;
  return json;
}

nlohmann::json interface_json(const InterfaceState& interface, bool with_tc) {
  const auto& link = interface.status.link;
  nlohmann::json addresses = nlohmann::json::array();
  for (const auto& address : interface.addresses) addresses.push_back(address.to_string());
  const auto& counters = interface.status.counters;
  nlohmann::json json = {
      {"name", link.name},
      {"kind", link.kind},
      {"admin_up", (link.flags & IFF_UP) != 0},
      {"oper_state", interface.status.oper_state},
      {"carrier", interface.status.carrier},
      {"mtu", link.mtu},
      {"mac", link.mac ? nlohmann::json(link.mac->to_string()) : nlohmann::json()},
      {"addresses", addresses},
      {"counters",
       {{"rx_bytes", counters.rx_bytes},
        {"rx_packets", counters.rx_packets},
        {"rx_dropped", counters.rx_dropped},
        {"rx_errors", counters.rx_errors},
        {"tx_bytes", counters.tx_bytes},
        {"tx_packets", counters.tx_packets},
        {"tx_dropped", counters.tx_dropped},
        {"tx_errors", counters.tx_errors}}},
  };
  if (!with_tc) return json;
  nlohmann::json qdiscs = nlohmann::json::array();
  for (const auto& qdisc : interface.qdiscs) {
    nlohmann::json entry = {{"kind", qdisc.kind},
                            {"handle", tc_handle(qdisc.handle)},
                            {"parent", tc_handle(qdisc.parent)},
                            {"bytes", qdisc.bytes},
                            {"packets", qdisc.packets},
                            {"drops", qdisc.drops},
                            {"overlimits", qdisc.overlimits}};
    if (qdisc.tbf) {
      entry["rate"] = format_rate(qdisc.tbf->rate_bytes_per_second * 8);
      entry["burst_bytes"] = qdisc.tbf->burst_bytes;
      entry["limit_bytes"] = qdisc.tbf->limit_bytes;
    }
    if (qdisc.netem) {
      entry["delay"] = format_duration_us(qdisc.netem->delay_us);
      entry["jitter"] = format_duration_us(qdisc.netem->jitter_us);
      entry["loss"] = format_percent(qdisc.netem->loss_percent);
    }
    qdiscs.push_back(entry);
  }
  json["qdiscs"] = qdiscs;
  nlohmann::json filters = nlohmann::json::array();
  for (const auto& filter : interface.ingress_filters)
    filters.push_back({{"hook", "ingress"},
                       {"kind", filter.kind},
                       {"name", filter.name},
                       {"program_id", filter.program_id},
                       {"direct_action", filter.direct_action}});
  json["filters"] = filters;
  return json;
}

std::string interface_line(const InterfaceState& interface) {
  std::string line = interface.name() + " " + interface.status.oper_state;
  if (!(interface.status.link.flags & IFF_UP)) line += " (set down)";
  for (const auto& address : interface.addresses) line += " " + address.to_string();
  return line;
}

}  // namespace nettopo::cli
