#pragma once

// Changing a running lab's links: the one implementation behind `nettopo link set` and the link
// actions of [[steps]].

#include <optional>
#include <string>
#include <string_view>

namespace nettopo {

struct RunningLab;

/// What `link set` and a [[steps]] link action change on one end of a link. Unset fields stay as
/// they are; strings are written as in a lab file ("10mbit", "20ms", "5%").
struct LinkChange {
  std::optional<bool> up;  ///< set the interface down or up
  std::optional<std::string> rate, delay, jitter, loss;
  bool blackhole = false;  ///< drop every packet silently; the carrier stays up
  bool clear = false;      ///< back to the lab file's values (applied before the other fields)
  bool one_way = false;    ///< impair only what NODE:IF sends; by default both directions, as
                           ///< the lab file's keys do
};

/// The LinkChange of a struct that spells the same fields: the C++ API's LinkChange and a
/// [[steps]] link action (topology::Step, which has no one_way). The one field-by-field copy, so
/// a new field is mapped here once.
template <class Fields>
LinkChange link_change_of(const Fields& fields) {
  LinkChange change;
  change.up = fields.up;
  change.rate = fields.rate;
  change.delay = fields.delay;
  change.jitter = fields.jitter;
  change.loss = fields.loss;
  change.blackhole = fields.blackhole;
  change.clear = fields.clear;
  if constexpr (requires { fields.one_way; }) change.one_way = fields.one_way;
  return change;
}

/// Applies `change` to `endpoint`, "NODE:IF" (a node's interface, or a bridge's port), of the
/// running `lab`, through netlink in that end's namespace. Throws UsageError for an unknown
/// endpoint or a malformed value, Error (NetlinkError, SystemError) when the kernel refuses.
/// Delay and jitter need the netem qdisc; loss and blackhole work without it (a BPF filter).
/// A value of "none" (or "0") removes that impairment; unset fields keep what the kernel has.
void apply_link_change(const RunningLab& lab, std::string_view endpoint, const LinkChange& change);

}  // namespace nettopo
