#include "core/node_mounts.h"

#include "core/host_paths.h"
#include "topology/path_rules.h"
#include "topology/regular_file.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// A `files` entry inside one of the node's `dirs` is copied into that private directory; no
// mount needed. Returns the directory index, or -1.
int enclosing_dir(const topology::Node& node, const std::string& inside) {
  for (size_t i = 0; i < node.dirs.size(); ++i)
    if (inside != node.dirs[i] && topology::path_within(inside, node.dirs[i]))
      return static_cast<int>(i);
  return -1;
}

}  // namespace

std::vector<BindMount> prepare_node_mounts(const topology::Node& node, const fs::path& node_dir,
                                           Journal& journal, const std::set<std::string>& others) {
  std::vector<BindMount> mounts;
  for (size_t i = 0; i < node.dirs.size(); ++i) {
    fs::path backing = node_dir / "dirs" / std::to_string(i);
    fs::create_directories(backing);
    ensure_mount_point(node.name, node.dirs[i], true, journal, others);
    mounts.push_back({backing.string(), node.dirs[i]});
  }
  for (size_t i = 0; i < node.files.size(); ++i) {
    auto file = node.files[i];
    if (file.content) {
      // A generated file (a daemon's configuration) is written out first, then copied like any
      // other: one path for both, with the same checks.
      fs::path generated = node_dir / "generated";
      fs::create_directories(generated);
      file.source_path = (generated / std::to_string(i)).string();
      write_file(file.source_path, *file.content);
    }
    int inside = enclosing_dir(node, file.inside_path);
    if (inside >= 0) {
      auto relative = fs::path(file.inside_path).lexically_relative(node.dirs[inside]);
      copy_file_beneath(node.name, file.source_path, node_dir / "dirs" / std::to_string(inside),
                        relative, topology::kMaxCopiedFileBytes);
      continue;
    }
    copy_file_beneath(node.name, file.source_path, node_dir / "files", std::to_string(i),
                      topology::kMaxCopiedFileBytes);
    ensure_mount_point(node.name, file.inside_path, false, journal, others);
    mounts.push_back({(node_dir / "files" / std::to_string(i)).string(), file.inside_path});
  }
  return mounts;
}

std::string encode_mounts(const std::vector<BindMount>& mounts) {
  std::string text;
  for (const auto& mount : mounts) {
    for (const std::string& field :
         {std::string(mount.read_only ? "bind-ro" : "bind"), mount.source, mount.target}) {
      text += field;
      text.push_back('\0');
    }
  }
  return text;
}

}  // namespace nettopo
