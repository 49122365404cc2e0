#include "core/link_control.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <cerrno>

#include "core/lab_plan.h"
#include "core/link_state.h"
#include "core/running_lab.h"
#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "netlink/bpf_filter.h"
#include "netlink/link.h"
#include "netlink/qdisc.h"
#include "netlink/socket.h"
#include "topology/impairment_parser.h"

namespace nettopo {
namespace {

// One end of the link being changed, with a socket in its namespace.
struct End {
  std::string owner;
  std::string interface;
  netlink::Socket socket;
  int ifindex = 0;
  std::string label() const { return owner + ":" + interface; }
};

End open_end(const RunningLab& lab, const topology::Endpoint& endpoint) {
  UniqueFd netns = open_namespace((lab.dir.netns_dir() / endpoint.owner).string());
  End end{endpoint.owner, endpoint.interface,
          netlink::Socket::open_in(netns, lab.dir.lab() + "-" + endpoint.owner), 0};
  auto link = netlink::find_link(end.socket, endpoint.interface);
  if (!link)
    throw Error("lab " + lab.dir.lab() + ": " + end.label() +
                " is gone from the kernel (deleted by hand?)");
  end.ifindex = link->index;
  return end;
}

// The link `endpoint` names and which of its ends it is. Throws UsageError listing the choices.
std::pair<const topology::Link*, int> find_end(const RunningLab& lab, std::string_view endpoint) {
  auto colon = endpoint.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == endpoint.size())
    throw UsageError("'" + std::string(endpoint) + "' is not NODE:INTERFACE (e.g. r1:eth0)");
  std::string owner(endpoint.substr(0, colon));
  std::string interface(endpoint.substr(colon + 1));
  if (!lab.model.find_node(owner) && !lab.model.find_bridge(owner))
    throw UsageError("lab " + lab.dir.lab() + " has no node or bridge " + owner);
  std::vector<std::string_view> names;
  for (const auto& link : lab.model.links)
    for (int i = 0; i < 2; ++i) {
      if (link.ends[i].owner != owner) continue;
      if (link.ends[i].interface == interface) return {&link, i};
      names.push_back(link.ends[i].interface);
    }
  throw UsageError(fmt::format("lab {}: {} has no link interface {} (its interfaces: {})",
                               lab.dir.lab(), owner, interface,
                               names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

// Parses one LinkChange field; "none" and "0" remove the impairment (nullopt inside).
template <class T, class Parse>
std::optional<T> parse_value(const std::string& text, const char* key, Parse parse,
                             const char* example) {
  if (text == "none" || text == "0") return std::nullopt;
  auto value = parse(text);
  if (!value)
    throw UsageError(std::string(key) + " '" + text + "' is not valid (for example " + example +
                     ", or none to remove it)");
  return value;
}

EndImpairments merged(EndImpairments base, const LinkChange& change) {
  auto& impairments = base.impairments;
  if (change.rate)
    impairments.rate_bits_per_second =
        parse_value<uint64_t>(*change.rate, "rate", topology::parse_rate, "10mbit");
  if (change.delay)
    impairments.delay_us =
        parse_value<uint32_t>(*change.delay, "delay", topology::parse_duration_us, "20ms");
  if (change.jitter)
    impairments.jitter_us =
        parse_value<uint32_t>(*change.jitter, "jitter", topology::parse_duration_us, "5ms");
  if (change.loss) {
    impairments.loss_percent =
        parse_value<double>(*change.loss, "loss", topology::parse_percent, "20%");
    if (impairments.loss_percent &&
        (*impairments.loss_percent < 0 || *impairments.loss_percent > 100))
      throw UsageError("loss '" + *change.loss + "' is not between 0% and 100%");
    if (impairments.loss_percent == 0.0) impairments.loss_percent.reset();
  }
  if (change.blackhole) base.blackhole = true;
  return base;
}

// Makes what `sender` sends go through `target`: its root qdiscs, and the BPF filter on the
// ingress of `receiver`. Why the receiver's ingress: a packet a filter drops on the sender's own
// egress hook is reported to the sending socket (NET_XMIT_DROP becomes ENOBUFS), so ping prints
// an error instead of counting a loss and TCP knows at once; dropped on the receiver's ingress,
// it is lost on the wire, unseen, as netem loses it.
//
// Loss goes into netem only when netem is there for delay or jitter anyway; alone, it is the
// filter, whether or not the kernel has netem, as `up` makes it (lab_plan.h: needs_netem).
void impose(End& sender, End& receiver, const EndImpairments& target) {
  const auto& impairments = target.impairments;
  std::string who = sender.label();
  // The root qdisc: removed (counters and all) and built again as the target says.
  bool has_root = false;
  bool receiver_has_clsact = false;
  for (const auto& qdisc : netlink::list_qdiscs(sender.socket, sender.ifindex))
    if (qdisc.handle == netlink::kRootQdiscHandle) has_root = true;
  for (const auto& qdisc : netlink::list_qdiscs(receiver.socket, receiver.ifindex))
    if (qdisc.kind == "clsact") receiver_has_clsact = true;
  if (has_root)
    sender.socket.execute(netlink::qdisc_delete_request(sender.ifindex), "remove qdiscs of", who);
  bool netem = needs_netem(impairments);
  if (netem) {
    netlink::NetemSpec spec;
    spec.delay_us = impairments.delay_us.value_or(0);
    spec.jitter_us = impairments.jitter_us.value_or(0);
    spec.loss_percent = impairments.loss_percent.value_or(0);
    sender.socket.execute(netlink::netem_request(sender.ifindex, spec), "add netem qdisc to", who);
  }
  if (impairments.rate_bits_per_second) {
    netlink::TbfSpec tbf;
    tbf.rate_bytes_per_second = std::max<uint64_t>(*impairments.rate_bits_per_second / 8, 1);
    sender.socket.execute(netem ? netlink::tbf_under_netem_request(sender.ifindex, tbf)
                                : netlink::tbf_request(sender.ifindex, tbf),
                          "add tbf qdisc to", who);
  }

  // The filter on the receiver's ingress.
  double drop_percent = 0;
  std::string name;
  if (target.blackhole) {
    drop_percent = 100;
    name = kBlackholeFilterName;
  } else if (impairments.loss_percent && !netem) {
    drop_percent = *impairments.loss_percent;
    name = loss_filter_name(drop_percent);
  }
  std::string where = receiver.label() + " (ingress, for what " + who + " sends)";
  if (!name.empty()) {
    if (!receiver_has_clsact)
      receiver.socket.execute(netlink::clsact_request(receiver.ifindex), "add clsact qdisc to",
                              receiver.label());
    UniqueFd program = netlink::load_sched_cls_program(
        netlink::drop_program(drop_percent), target.blackhole ? "nettopo_drop" : "nettopo_loss");
    receiver.socket.execute(
        netlink::bpf_filter_request(receiver.ifindex, netlink::ClsactHook::Ingress, program.get(),
                                    name),
        "attach BPF filter '" + name + "' to", where);
  } else if (receiver_has_clsact) {
    // Nothing to drop: the clsact qdisc goes with the filter, leaving the kernel's default.
    receiver.socket.execute(netlink::clsact_delete_request(receiver.ifindex),
                            "remove BPF filter from", where);
  }
  spdlog::info("link {}: {}", who, target.empty() ? "no impairments" : describe(target));
}

}  // namespace

void apply_link_change(const RunningLab& lab, std::string_view endpoint, const LinkChange& change) {
  // Not a structured binding: the lambda below captures `link`, and clang before 16 (the
  // clang-tidy of scripts/lint included) refuses to capture one, although C++20 allows it.
  const auto found = find_end(lab, endpoint);
  const topology::Link* link = found.first;
  const int index = found.second;
  End named = open_end(lab, link->ends[index]);
  End other = open_end(lab, link->ends[1 - index]);

  bool impairs = change.clear || change.rate || change.delay || change.jitter || change.loss ||
                 change.blackhole;
  if (impairs) {
    // Start from the file (--clear) or from what the kernel has now, for each direction.
    auto current = [&](End& sender, End& receiver) {
      if (change.clear) return EndImpairments{link->impairments, false};
      InterfaceState sent, received;
      sent.qdiscs = netlink::list_qdiscs(sender.socket, sender.ifindex);
      received.ingress_filters =
          netlink::list_filters(receiver.socket, receiver.ifindex, netlink::ClsactHook::Ingress);
      return impairments_of(sent, &received);
    };
    EndImpairments forward = merged(current(named, other), change);
    std::optional<EndImpairments> backward;
    if (!change.one_way) backward = merged(current(other, named), change);

    // Refuse what the kernel cannot do before changing anything.
    if (needs_netem(forward.impairments) || (backward && needs_netem(backward->impairments)))
      netlink::require_netem("lab " + lab.dir.lab() + ": delay and jitter on " + named.label(),
                             "loss and blackhole work without it");
    impose(named, other, forward);
    if (backward) impose(other, named, *backward);
  }
  if (change.up) {
    named.socket.execute(netlink::link_up_request(named.ifindex, *change.up),
                         *change.up ? "set up" : "set down", named.label());
    spdlog::info("link {}: {}", named.label(), *change.up ? "up" : "down");
  }
}

}  // namespace nettopo
