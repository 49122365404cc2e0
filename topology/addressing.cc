#include "topology/addressing.h"

#include <algorithm>
#include <map>
#include <set>

#include "topology/diagnostic.h"

namespace nettopo::topology {
namespace {

__extension__ typedef unsigned __int128 Uint128;

Uint128 to_number(const IpAddress& address) {
  Uint128 value = 0;
  for (size_t i = 0; i < address.size(); ++i) value = (value << 8) | address.bytes[i];
  return value;
}

IpAddress from_number(IpFamily family, Uint128 value) {
  IpAddress address;
  address.family = family;
  for (int i = static_cast<int>(address.size()) - 1; i >= 0; --i) {
    address.bytes[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
  return address;
}

// Number of addresses in a prefix of `length`, saturating at 2^127 for ::/0.
Uint128 block_size(IpFamily family, int length) {
  int bits = (family == IpFamily::V4 ? 32 : 128) - length;
  return bits >= 128 ? (Uint128(1) << 127) : (Uint128(1) << bits);
}

Uint128 first_of(const IpPrefix& prefix) { return to_number(prefix.network().address); }
Uint128 last_of(const IpPrefix& prefix) {
  return first_of(prefix) + block_size(prefix.family(), prefix.length) - 1;
}

bool is_ipv4_network_or_broadcast(const IpPrefix& prefix, std::string& which) {
  if (prefix.family() != IpFamily::V4 || prefix.length >= 31) return false;
  Uint128 value = to_number(prefix.address);
  if (value == first_of(prefix))
    which = "network";
  else if (value == last_of(prefix))
    which = "broadcast";
  else
    return false;
  return true;
}

std::string family_name(IpFamily family) { return family == IpFamily::V4 ? "IPv4" : "IPv6"; }

class Allocator {
 public:
  Allocator(Lab& lab, const LabSource& source, const std::vector<Segment>& segments,
            Diagnostics& diagnostics)
      : lab_(lab), source_(source), segments_(segments), diagnostics_(diagnostics) {
    for (const auto& link : lab.links)
      for (const auto& end : link.ends)
        for (const auto& address : end.addresses) {
          used_.insert(address.address);
          cover(address.network());
        }
  }

  void run(IpFamily family) {
    const auto& pool = family == IpFamily::V4 ? lab_.ipv4_pool : lab_.ipv6_pool;
    bool pool_exhausted = false;
    for (const auto& segment : segments_) {
      if (segment.node_ends.empty()) continue;
      std::optional<IpPrefix> subnet = explicit_subnet(segment, family);
      if (subnet) {
        fill_from_subnet(segment, *subnet);
      } else if (pool && !pool_exhausted) {
        pool_exhausted = !fill_from_pool(segment, *pool);
      }
    }
  }

 private:
  std::optional<IpPrefix> explicit_subnet(const Segment& segment, IpFamily family) const {
    for (const auto& ref : segment.node_ends)
      for (const auto& address : end(ref).addresses)
        if (address.family() == family) return address.network();
    return std::nullopt;
  }

  Endpoint& end(const EndpointRef& ref) const { return lab_.links[ref.link].ends[ref.end]; }

  static bool has_family(const Endpoint& endpoint, IpFamily family) {
    for (const auto& address : endpoint.addresses)
      if (address.family() == family) return true;
    return false;
  }

  void fill_from_subnet(const Segment& segment, const IpPrefix& subnet) {
    Uint128 first = first_of(subnet);
    Uint128 last = last_of(subnet);
    if (subnet.family() == IpFamily::V4 && subnet.length <= 30) {
      ++first;  // not the network address
      --last;   // not the broadcast address
    } else if (subnet.family() == IpFamily::V6 && subnet.length < 128) {
      ++first;  // ::0 is the subnet-router anycast address
    }
    Uint128 next = first;
    for (const auto& ref : segment.node_ends) {
      Endpoint& endpoint = end(ref);
      if (has_family(endpoint, subnet.family())) continue;
      // Bounded search: a subnet with this many addresses in use is a mistake anyway.
      int tries = 0;
      while (next <= last && used_.count(from_number(subnet.family(), next)) && ++tries < 100000)
        ++next;
      IpAddress candidate = from_number(subnet.family(), next);
      if (next > last || used_.count(candidate)) {
        diagnostics_.error(source_.links[ref.link].ends[ref.end].where,
                           "subnet " + subnet.to_string() + " has no free address left for " +
                               endpoint_label(endpoint));
        return;
      }
      used_.insert(candidate);
      endpoint.addresses.push_back(IpPrefix{candidate, subnet.length});
      ++next;
    }
  }

  // False when the pool ran out (reported).
  bool fill_from_pool(const Segment& segment, const IpPrefix& pool) {
    IpFamily family = pool.family();
    int length = family == IpFamily::V6 ? 64 : segment.bridged() ? 24 : 30;
    std::string what = segment.bridged()
                           ? "bridge " + in_quotes(segment.bridges.front())
                           : "link " + endpoint_label(lab_.links[segment.links[0]].ends[0]) +
                                 " -- " + endpoint_label(lab_.links[segment.links[0]].ends[1]);
    const auto& pool_where =
        family == IpFamily::V4 ? source_.ipv4_pool_where : source_.ipv6_pool_where;
    if (family == IpFamily::V4 && segment.node_ends.size() > 254) {
      diagnostics_.error(pool_where, "a /24 from the pool holds 254 hosts but " + what + " has " +
                                         std::to_string(segment.node_ends.size()));
      return true;
    }
    auto block = next_free_block(pool, length);
    if (!block) {
      diagnostics_.error(pool_where,
                         "address pool " + pool.to_string() + " is too small: no free /" +
                             std::to_string(length) + " left for " + what,
                         "use a larger " + family_name(family) + " pool");
      return false;
    }
    cover(*block);
    Uint128 host = first_of(*block) + 1;
    for (const auto& ref : segment.node_ends) {
      Endpoint& endpoint = end(ref);
      if (has_family(endpoint, family)) continue;
      IpAddress address = from_number(family, host++);
      used_.insert(address);
      endpoint.addresses.push_back(IpPrefix{address, length});
    }
    return true;
  }

  // The lowest aligned block of `length` in `pool` that overlaps nothing taken. Covered ranges
  // are kept merged and sorted, so each step jumps past a whole run of taken space: a chain of
  // a thousand links costs a thousand lookups, not a million comparisons.
  std::optional<IpPrefix> next_free_block(const IpPrefix& pool, int length) const {
    if (length < pool.length) return std::nullopt;
    const auto& covered = covered_[family_slot(pool.family())];
    Uint128 size = block_size(pool.family(), length);
    Uint128 candidate = first_of(pool);
    Uint128 pool_last = last_of(pool);
    while (candidate <= pool_last && candidate + size - 1 <= pool_last) {
      Uint128 candidate_last = candidate + size - 1;
      // Ranges are disjoint and sorted, so the last one starting within the candidate reaches
      // furthest; if it ends before the candidate, nothing overlaps.
      auto after = covered.upper_bound(candidate_last);
      if (after == covered.begin() || std::prev(after)->second < candidate) {
        return IpPrefix{from_number(pool.family(), candidate), length};
      }
      Uint128 skip_to = std::prev(after)->second + 1;
      Uint128 next = (skip_to + size - 1) / size * size;  // next aligned block
      if (next <= candidate) return std::nullopt;         // wrapped around the address space
      candidate = next;
    }
    return std::nullopt;
  }

  static int family_slot(IpFamily family) { return family == IpFamily::V4 ? 0 : 1; }

  // Marks a prefix as taken, merging it with the ranges it touches or overlaps.
  void cover(const IpPrefix& prefix) {
    auto& covered = covered_[family_slot(prefix.family())];
    Uint128 first = first_of(prefix);
    Uint128 last = last_of(prefix);
    auto it = covered.upper_bound(first);
    if (it != covered.begin() && std::prev(it)->second + 1 >= first) --it;
    while (it != covered.end() && it->first <= last + 1) {
      first = std::min(first, it->first);
      last = std::max(last, it->second);
      it = covered.erase(it);
    }
    covered.emplace(first, last);
  }

  Lab& lab_;
  const LabSource& source_;
  const std::vector<Segment>& segments_;
  Diagnostics& diagnostics_;
  std::set<IpAddress> used_;
  std::map<Uint128, Uint128> covered_[2];  // per family: first -> last of each taken range
};

}  // namespace

void check_addresses(const Lab& lab, const LabSource& source, const std::vector<Segment>& segments,
                     Diagnostics& diagnostics) {
  std::map<IpAddress, std::string> owner_of;
  for (size_t l = 0; l < lab.links.size(); ++l) {
    for (int e = 0; e < 2; ++e) {
      const auto& endpoint = lab.links[l].ends[e];
      for (size_t a = 0; a < endpoint.addresses.size(); ++a) {
        const auto& address = endpoint.addresses[a];
        const auto& where = source.links[l].ends[e].address_where[a];
        std::string which;
        if (is_ipv4_network_or_broadcast(address, which)) {
          diagnostics.error(where,
                            "address " + address.to_string() + " is the " + which +
                                " address of its subnet " + address.network().to_string(),
                            "use a host address between the two");
          continue;
        }
        auto [it, inserted] = owner_of.emplace(address.address, endpoint_label(endpoint));
        if (!inserted) {
          diagnostics.error(where, "address " + address.address.to_string() +
                                       " is already used by " + it->second);
        }
      }
    }
  }

  for (const auto& segment : segments) {
    std::map<IpFamily, std::pair<IpPrefix, std::string>> first;  // family -> subnet, who
    for (const auto& ref : segment.node_ends) {
      const auto& endpoint = lab.links[ref.link].ends[ref.end];
      for (size_t a = 0; a < endpoint.addresses.size(); ++a) {
        const auto& address = endpoint.addresses[a];
        auto [it, inserted] = first.emplace(
            address.family(),
            std::pair(address.network(), address.to_string() + " on " + endpoint_label(endpoint)));
        if (inserted || it->second.first == address.network()) continue;
        const IpPrefix& subnet = it->second.first;
        // In the subnet but with another length: say so, "not in subnet" would be untrue.
        std::string what = subnet.contains(address.address)
                               ? " has prefix length /" + std::to_string(address.length) +
                                     " but its segment's subnet is " + subnet.to_string()
                               : " is not in subnet " + subnet.to_string() + " of its segment";
        diagnostics.error(
            source.links[ref.link].ends[ref.end].address_where[a],
            "address " + address.to_string() + " on " + endpoint_label(endpoint) + what,
            "the segment also has " + it->second.second);
      }
    }
  }
}

void assign_addresses(Lab& lab, const LabSource& source, const std::vector<Segment>& segments,
                      Diagnostics& diagnostics) {
  Allocator allocator(lab, source, segments, diagnostics);
  allocator.run(IpFamily::V4);
  allocator.run(IpFamily::V6);
}

}  // namespace nettopo::topology
