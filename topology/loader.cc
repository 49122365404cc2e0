#include "topology/loader.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "topology/addressing.h"
#include "topology/experiment_parser.h"
#include "topology/host_names.h"
#include "topology/interface_naming.h"
#include "topology/lab_parser.h"
#include "topology/route_checks.h"
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

  toml::table document;
  try {
    document = toml::parse(toml_text, path_for_messages);
  } catch (const toml::parse_error& error) {
    // toml++ quotes the offending text, which may hold a line break: keep the message one line.
    std::string message;
    for (char c : error.description()) {
      if (c == '\n')
        message += "\\n";
      else if (c == '\t')
        message += "\\t";
      else if (c == '\r')
        message += "\\r";
      else
        message += c;
    }
    diagnostics.error(reader.at(error.source()), message);
    return result;
  }

  ParsedLab parsed =
      parse_lab(document, absolute_path(path_for_messages), options.name_override, reader);
  Lab& lab = parsed.lab;
  const LabSource& source = parsed.source;

  assign_interface_names(lab, source, diagnostics);
  check_experiment_links(lab, path_for_messages, diagnostics);
  check_host_names(lab, source, diagnostics);
  check_duplicate_macs(lab, source, diagnostics);
  check_routes(lab, source, diagnostics);
  auto segments = find_segments(lab);
  size_t errors_before = diagnostics.error_count();
  check_addresses(lab, source, segments, diagnostics);
  // Allocating around broken addresses would only add confusing follow-up errors.
  if (diagnostics.error_count() == errors_before) {
    assign_addresses(lab, source, segments, diagnostics);
    check_route_gateways(lab, source, diagnostics);
  }
  if (diagnostics.has_errors()) return result;

  if (lab.static_routing) add_static_routes(lab);
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
  // An ifstream opens a directory without complaint and then reads nothing, which would make
  // it look like an empty lab ("the lab has no nodes").
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return unreadable("the lab file is a directory", "name a .toml file inside it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable("cannot read the lab file", "check that it exists and is readable");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return unreadable("cannot read the lab file", "reading it failed part-way");
  return load_lab_string(text.str(), path, options);
}

}  // namespace nettopo::topology
