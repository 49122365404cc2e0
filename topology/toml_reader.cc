#include "topology/toml_reader.h"

#include <algorithm>

#include "topology/suggestion.h"

namespace nettopo::topology {

SourceLocation TomlReader::at(const toml::source_region& region) const {
  return SourceLocation{file_, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column)};
}

std::vector<std::pair<const toml::key*, const toml::node*>> TomlReader::in_file_order(
    const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, value] : table) entries.emplace_back(&key, &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.first->source().begin;
    const auto& pb = b.first->source().begin;
    return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
  });
  return entries;
}

void TomlReader::check_keys(const toml::table& table, const std::vector<std::string>& known,
                            std::string_view context) {
  for (const auto& [key, value] : in_file_order(table)) {
    std::string_view name = key->str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    diagnostics_.error(at(*key), "unknown key " + in_quotes(name) + " " + std::string(context),
                       did_you_mean(name, known));
  }
}

std::string TomlReader::type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

void TomlReader::wrong_type(const toml::node& node, std::string_view name,
                            std::string_view wanted) {
  diagnostics_.error(
      at(node), in_quotes(name) + " must be " + std::string(wanted) + ", not " + type_name(node));
}

std::optional<std::string> TomlReader::string(const toml::node& node, std::string_view name) {
  if (auto value = node.value<std::string>(); value && node.is_string()) return *value;
  wrong_type(node, name, "a string");
  return std::nullopt;
}

std::optional<int64_t> TomlReader::integer(const toml::node& node, std::string_view name) {
  if (node.is_integer()) return node.as_integer()->get();
  wrong_type(node, name, "an integer");
  return std::nullopt;
}

std::optional<int64_t> TomlReader::integer_in(const toml::node& node, std::string_view name,
                                              int64_t min, int64_t max, std::string_view label,
                                              std::string hint) {
  auto value = integer(node, name);
  if (!value) return std::nullopt;
  if (*value < min || *value > max) {
    diagnostics_.error(at(node),
                       std::string(label) + " " + std::to_string(*value) + " is outside " +
                           std::to_string(min) + ".." + std::to_string(max),
                       std::move(hint));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> TomlReader::boolean(const toml::node& node, std::string_view name) {
  if (node.is_boolean()) return node.as_boolean()->get();
  wrong_type(node, name, "a boolean");
  return std::nullopt;
}

bool TomlReader::optional_flag(const toml::table& table, std::string_view name, bool& out) {
  const toml::node* value = table.get(name);
  if (!value) return true;
  auto flag = boolean(*value, name);
  if (flag) out = *flag;
  return flag.has_value();
}

const toml::table* TomlReader::table(const toml::node& node, std::string_view name) {
  if (const auto* result = node.as_table()) return result;
  wrong_type(node, name, "a table");
  return nullptr;
}

const toml::array* TomlReader::array(const toml::node& node, std::string_view name) {
  if (const auto* result = node.as_array()) return result;
  wrong_type(node, name, "an array");
  return nullptr;
}

std::vector<std::pair<size_t, const toml::table*>> TomlReader::tables(const toml::node& node,
                                                                      std::string_view name,
                                                                      const std::string& hint) {
  std::vector<std::pair<size_t, const toml::table*>> found;
  const auto* elements = array(node, name);
  if (!elements) return found;
  size_t number = 0;
  for (const auto& element : *elements) {
    ++number;
    if (const auto* table = element.as_table())
      found.emplace_back(number, table);
    else
      diagnostics_.error(
          at(element),
          "elements of '" + std::string(name) + "' must be tables, not " + type_name(element),
          hint);
  }
  return found;
}

}  // namespace nettopo::topology
