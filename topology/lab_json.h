#pragma once

// The fully resolved model as JSON: what `nettopo graph --format json` prints and what the
// runtime stores next to a running lab. The shape is documented in docs/topology.md.
//
// Each model type has an nlohmann serializer (to_json/from_json, found by argument-dependent
// lookup), so `nlohmann::json(node)` and `json.get<Node>()` work member by member. Addresses and
// prefixes are text ("10.0.0.1/24"), absent optionals null, ordered pairs (sysctl, env) arrays of
// [key, value]. Reading throws nettopo::Error on malformed input (a missing or mistyped member,
// an unparsable address) rather than nlohmann's exceptions.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/sys/ip_address.h"
#include "topology/model.h"

namespace nlohmann {
template <>
struct adl_serializer<nettopo::IpAddress> {
  static void to_json(json& json, const nettopo::IpAddress& address);
  static void from_json(const json& json, nettopo::IpAddress& address);
};
template <>
struct adl_serializer<nettopo::IpPrefix> {
  static void to_json(json& json, const nettopo::IpPrefix& prefix);
  static void from_json(const json& json, nettopo::IpPrefix& prefix);
};
template <>
struct adl_serializer<nettopo::MacAddress> {
  static void to_json(json& json, const nettopo::MacAddress& mac);
  static void from_json(const json& json, nettopo::MacAddress& mac);
};
}  // namespace nlohmann

namespace nettopo::topology {

void to_json(nlohmann::json& json, const SourceLocation& where);
void from_json(const nlohmann::json& json, SourceLocation& where);
void to_json(nlohmann::json& json, EndpointKind kind);
void from_json(const nlohmann::json& json, EndpointKind& kind);
void to_json(nlohmann::json& json, const Endpoint& end);
void from_json(const nlohmann::json& json, Endpoint& end);
void to_json(nlohmann::json& json, const Impairments& impairments);
void from_json(const nlohmann::json& json, Impairments& impairments);
void to_json(nlohmann::json& json, const Link& link);
void from_json(const nlohmann::json& json, Link& link);
void to_json(nlohmann::json& json, const Route& route);
void from_json(const nlohmann::json& json, Route& route);
void to_json(nlohmann::json& json, const FileSpec& file);
void from_json(const nlohmann::json& json, FileSpec& file);
void to_json(nlohmann::json& json, const Node& node);
void from_json(const nlohmann::json& json, Node& node);
void to_json(nlohmann::json& json, const Bridge& bridge);
void from_json(const nlohmann::json& json, Bridge& bridge);
void to_json(nlohmann::json& json, const Lab& lab);
void from_json(const nlohmann::json& json, Lab& lab);

/// Every field of `lab` as one JSON document.
nlohmann::json to_json(const Lab& lab);

/// The exact inverse of to_json. Throws nettopo::Error on malformed input.
Lab lab_from_json(const nlohmann::json& json);

/// Writes to_json(lab).dump(2) and a newline to `out`, byte for byte, one node or link at a
/// time: memory stays near the size of the model, not of the text (a 600-node chain with static
/// routes is 229 MB of JSON). The caller checks `out` for write errors. With `schema_version`,
/// a top-level "schema_version" member is written too, in its sorted place.
void write_json(std::ostream& out, const Lab& lab,
                std::optional<int> schema_version = std::nullopt);

}  // namespace nettopo::topology
