#include "topology/path_rules.h"

#include <array>

#include "topology/diagnostic.h"
#include "topology/lab_source.h"

namespace nettopo::topology {
namespace {

std::string line_of(const SourceLocation& where) {
  return where.line > 0 ? " (line " + std::to_string(where.line) + ")" : "";
}

}  // namespace

std::optional<std::string> check_node_path(std::string_view path) {
  if (path.empty() || path[0] != '/') return "must be an absolute path";
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f) return "must not contain control characters";
  if (path.size() > kMaxNodePathLength)
    return "is longer than " + std::to_string(kMaxNodePathLength) + " bytes";
  if (path == "/") return std::nullopt;
  for (size_t start = 1; start <= path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view component = path.substr(start, end - start);
    if (component.empty()) return "must not contain an empty component ('//' or a trailing '/')";
    if (component == ".") return "must not contain a '.' component";
    if (component == "..") return "must not contain a '..' component";
    if (component.size() > kMaxNodePathComponent)
      return "has a component longer than " + std::to_string(kMaxNodePathComponent) + " bytes";
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> check_reserved_node_path(std::string_view path) {
  if (path == "/") return "is the node's root: it would hide everything the node needs";
  // nettopo mounts the node's own /proc and /sys and uses the host's devices: none of them may
  // be covered, nor anything inside them be a mount point made on the host.
  static constexpr std::array<std::string_view, 3> kSystem = {"/proc", "/sys", "/dev"};
  for (auto system : kSystem) {
    if (path_within(path, system))
      return "is " + std::string(path == system ? "" : "inside ") + std::string(system) +
             ", which every node needs as it is";
  }
  // nettopo's runtime directory and the files it mounts into every node.
  static constexpr std::array<std::string_view, 3> kNettopo = {"/run/nettopo", "/etc/hosts",
                                                               "/etc/hostname"};
  for (auto own : kNettopo) {
    if (path_within(path, own))
      return "is " + std::string(path == own ? "" : "inside ") + std::string(own) +
             ", which nettopo sets up in every node";
  }
  for (auto covered : {"/proc", "/sys", "/dev", "/run/nettopo", "/etc/hosts", "/etc/hostname"}) {
    if (path_within(covered, path))
      return "would hide " + std::string(covered) + ", which every node needs";
  }
  return std::nullopt;
}

bool path_within(std::string_view inner, std::string_view outer) {
  if (outer == "/") return !inner.empty() && inner[0] == '/';
  return inner.substr(0, outer.size()) == outer &&
         (inner.size() == outer.size() || inner[outer.size()] == '/');
}

void check_node_paths(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  for (size_t n = 0; n < lab.nodes.size() && n < source.dirs.size(); ++n) {
    const Node& node = lab.nodes[n];
    const auto& dirs_where = source.dirs[n];
    for (size_t i = 0; i < node.dirs.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        const std::string& dir = node.dirs[i];
        const std::string& earlier = node.dirs[j];
        if (dir == earlier) {
          diagnostics.error(dirs_where[i],
                            in_quotes(dir) + " is in 'dirs' twice" + line_of(dirs_where[j]));
        } else if (path_within(dir, earlier) || path_within(earlier, dir)) {
          bool inside = path_within(dir, earlier);
          diagnostics.error(dirs_where[i],
                            in_quotes(dir) + " in 'dirs' " + (inside ? "is inside " : "holds ") +
                                in_quotes(earlier) + line_of(dirs_where[j]) +
                                ", another of the node's dirs",
                            "dirs cannot nest: keep only " + in_quotes(inside ? earlier : dir) +
                                ", which holds everything below it");
        } else {
          continue;
        }
        break;  // one finding per dir is enough to fix it
      }
    }
    for (size_t f = 0; f < node.files.size(); ++f) {
      const FileSpec& file = node.files[f];
      bool found = false;
      for (size_t d = 0; d < node.dirs.size() && !found; ++d) {
        if ((found = path_within(node.dirs[d], file.inside_path)))
          diagnostics.error(file.where,
                            in_quotes(file.inside_path) + " in 'files' is " +
                                (node.dirs[d] == file.inside_path ? "also" : "above") +
                                " the dir " + in_quotes(node.dirs[d]) + line_of(dirs_where[d]),
                            "a file's path must not be a directory the node uses");
      }
      for (size_t other = 0; other < node.files.size() && !found; ++other) {
        if ((found = other != f && path_within(node.files[other].inside_path, file.inside_path)))
          diagnostics.error(file.where,
                            in_quotes(file.inside_path) + " in 'files' is above the file " +
                                in_quotes(node.files[other].inside_path) +
                                line_of(node.files[other].where),
                            "a file's path must not be a directory the node uses");
      }
    }
  }
}

}  // namespace nettopo::topology
