#pragma once

// A lab file, read and validated: what `nettopo validate` accepts, ready to be brought up.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nettopo::topology {
struct Lab;
}

namespace nettopo::api {

/// A lab definition that passed validation, with every address, interface name and route
/// resolved. Cheap to copy (the model is shared and never changes). Documented in docs/api.md;
/// the format is docs/topology.md.
class LabFile {
 public:
  /// Reads and validates the lab file at `path`. Throws Error (exit code 2) listing every
  /// mistake, "PATH:LINE:COL: error: ..." one per line, when it is not a valid lab.
  static LabFile load(const std::string& path);
  /// As load(), for TOML text in memory. `path_for_messages` names it in diagnostics, its
  /// directory anchors relative `files` sources, and its stem is the lab's name unless the text
  /// sets `name`.
  static LabFile parse(std::string_view toml, const std::string& path_for_messages = "lab.toml");

  /// The same lab under another name (as `nettopo up --name`): read and validated again from
  /// where it came from, since validation checks the name.
  /// Throws Error (exit code 2) when `name` is not a valid lab name for it.
  LabFile with_name(const std::string& name) const;

  const std::string& name() const;
  /// Absolute path of the file, or of `path_for_messages` for a parsed string.
  const std::string& source_file() const;
  std::vector<std::string> node_names() const;    ///< in file order
  std::vector<std::string> bridge_names() const;  ///< in file order
  /// The warnings validation found (a valid lab may have some), one line each.
  const std::vector<std::string>& warnings() const { return warnings_; }

  /// The resolved model, for code inside nettopo (topology/model.h is not installed).
  const topology::Lab& model() const { return *model_; }

 private:
  LabFile() = default;
  static LabFile from_source(std::string path, std::shared_ptr<const std::string> text,
                             const std::string& name);

  std::shared_ptr<const topology::Lab> model_;
  std::vector<std::string> warnings_;
  // Where it came from, for with_name(): a path, or (when text_ is set) text that path names.
  std::string path_;
  std::shared_ptr<const std::string> text_;
};

}  // namespace nettopo::api
