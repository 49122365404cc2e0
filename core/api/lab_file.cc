#include "nettopo/lab_file.h"

#include "core/api/api_error.h"
#include "nettopo/error.h"
#include "topology/loader.h"

namespace nettopo::api {

LabFile LabFile::load(const std::string& path) { return from_source(path, nullptr, {}); }

LabFile LabFile::parse(std::string_view toml, const std::string& path_for_messages) {
  return from_source(path_for_messages, std::make_shared<const std::string>(toml), {});
}

LabFile LabFile::with_name(const std::string& name) const {
  return from_source(path_, text_, name);
}

LabFile LabFile::from_source(std::string path, std::shared_ptr<const std::string> text,
                             const std::string& name) {
  // The loader reports bad input as diagnostics and throws for nothing else it expects; all of
  // them go into one Error, as `nettopo validate` would print them.
  topology::LoadOptions options{name};
  topology::LoadResult result;
  try {
    result = text ? topology::load_lab_string(*text, path, options)
                  : topology::load_lab_file(path, options);
  } catch (...) {
    rethrow_as_api_error();
  }
  std::string errors;
  std::vector<std::string> warnings;
  for (const auto& diagnostic : result.diagnostics.all()) {
    if (diagnostic.severity == topology::Diagnostic::Severity::Error)
      errors += (errors.empty() ? "" : "\n") + diagnostic.to_string();
    else
      warnings.push_back(diagnostic.to_string());
  }
  if (!result.lab) {
    if (errors.empty()) errors = path + ": error: not a valid lab";
    throw Error(errors, 2);
  }
  LabFile file;
  file.model_ = std::make_shared<const topology::Lab>(std::move(*result.lab));
  file.warnings_ = std::move(warnings);
  file.path_ = std::move(path);
  file.text_ = std::move(text);
  return file;
}

const std::string& LabFile::name() const { return model_->name; }
const std::string& LabFile::source_file() const { return model_->source_file; }

std::vector<std::string> LabFile::node_names() const {
  std::vector<std::string> names;
  for (const auto& node : model_->nodes) names.push_back(node.name);
  return names;
}

std::vector<std::string> LabFile::bridge_names() const {
  std::vector<std::string> names;
  for (const auto& bridge : model_->bridges) names.push_back(bridge.name);
  return names;
}

}  // namespace nettopo::api
