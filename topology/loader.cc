#include "topology/loader.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "topology/addressing.h"
#include "topology/bridge_loops.h"
#include "topology/experiment_parser.h"
#include "topology/host_names.h"
#include "topology/input_limits.h"
#include "topology/interface_naming.h"
#include "topology/lab_parser.h"
#include "topology/mtu_checks.h"
#include "topology/path_rules.h"
#include "topology/regular_file.h"
#include "topology/route_checks.h"
#include "topology/routing/daemon_setup.h"
#include "topology/routing/router_identities.h"
#include "topology/segments.h"
#include "topology/static_routes.h"
#include "topology/toml_reader.h"

namespace nettopo::topology {
namespace {

void check_duplicate_macs(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  std::map<MacAddress, std::string> seen;
  for (size_t l = 0; l < lab.links.size(); ++l) {
    for (int e = 0; e < 2; ++e) {
      const auto& end = lab.links[l].ends[e];
      if (!end.mac) continue;
      auto [it, inserted] = seen.emplace(*end.mac, endpoint_label(end));
      if (!inserted) {
        diagnostics.error(
            source.links[l].ends[e].mac_where,
            "MAC address " + end.mac->to_string() + " is already used by " + it->second);
      }
    }
  }
}

LoadResult too_large(const std::string& path) {
  LoadResult result;
  result.diagnostics.error(
      SourceLocation{path, 0, 0},
      "the lab file is larger than " + std::to_string(kMaxLabFileBytes >> 20) + " MiB",
      "a lab of 10,000 nodes takes about 1 MB; is this the right file?");
  return result;
}

std::string absolute_path(const std::string& path) {
  std::error_code error;
  auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

}  // namespace

LoadResult load_lab_string(std::string_view toml_text, const std::string& path_for_messages,
                           const LoadOptions& options) {
  LoadResult result;
  Diagnostics& diagnostics = result.diagnostics;
  TomlReader reader(diagnostics, path_for_messages);

  if (toml_text.size() > kMaxLabFileBytes) return too_large(path_for_messages);
  // toml++ recurses once per nesting level and dotted-key part: bound both before it runs.
  if (auto breach = check_input_limits(toml_text)) {
    diagnostics.error(SourceLocation{path_for_messages, breach->line, breach->column},
                      std::move(breach->message), std::move(breach->hint));
    return result;
  }

  toml::table document;
  try {
    document = toml::parse(toml_text, path_for_messages);
  } catch (const toml::parse_error& error) {
    // toml++ quotes the offending text, which may hold a line break or an ESC: Diagnostics
    // escapes them, so the message stays one harmless line.
    diagnostics.error(reader.at(error.source()), std::string(error.description()));
    return result;
  }

  ParsedLab parsed =
      parse_lab(document, absolute_path(path_for_messages), options.name_override, reader);
  Lab& lab = parsed.lab;
  const LabSource& source = parsed.source;

  assign_interface_names(lab, source, diagnostics);
  check_experiment_links(lab, path_for_messages, diagnostics);
  check_host_names(lab, source, diagnostics);
  check_bridge_loops(lab, source, diagnostics);
  check_duplicate_macs(lab, source, diagnostics);
  check_node_paths(lab, source, diagnostics);
  check_routes(lab, source, diagnostics);
  auto segments = find_segments(lab);
  size_t errors_before = diagnostics.error_count();
  check_addresses(lab, source, segments, diagnostics);
  // Allocating around broken addresses would only add confusing follow-up errors.
  if (diagnostics.error_count() == errors_before) {
    assign_addresses(lab, source, segments, diagnostics);
    check_route_gateways(lab, source, diagnostics);
    check_link_mtus(lab, source, diagnostics);
    assign_loopbacks(lab, source, diagnostics);
    assign_asns(lab, diagnostics);
    check_routing_protocols(lab, segments, diagnostics);
  }
  if (diagnostics.has_errors()) return result;

  if (lab.static_routing) add_static_routes(lab);
  add_host_gateways(lab, segments);
  setup_routing_daemons(lab, segments);
  warn_about_connectivity(lab, diagnostics);
  result.lab = std::move(lab);
  return result;
}

LoadResult load_lab_file(const std::string& path, const LoadOptions& options) {
  auto unreadable = [&](std::string message, std::string hint) {
    LoadResult result;
    result.diagnostics.error(SourceLocation{path, 0, 0}, std::move(message), std::move(hint));
    return result;
  };
  // Only a regular file of bounded size: an ifstream opens a directory without complaint and
  // reads nothing ("the lab has no nodes"), reads /dev/zero until memory runs out, and blocks
  // forever on a FIFO nobody writes to.
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found)
    return unreadable("cannot read the lab file", "check that it exists and is readable");
  if (std::filesystem::is_directory(status))
    return unreadable("the lab file is a directory", "name a .toml file inside it");
  if (!error && !std::filesystem::is_regular_file(status))
    return unreadable(
        "the lab file " +
            check_regular_file(path, kMaxLabFileBytes).value_or("is not a regular file"),
        "nettopo reads lab files from regular files, not devices or pipes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable("cannot read the lab file", "check that it exists and is readable");
  // Read in chunks and stop past the limit, whatever the size said before: a file may grow.
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxLabFileBytes) return too_large(path);
  }
  if (in.bad()) return unreadable("cannot read the lab file", "reading it failed part-way");
  return load_lab_string(text, path, options);
}

}  // namespace nettopo::topology
