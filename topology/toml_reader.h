#pragma once

// Typed access to a parsed TOML document that reports every misuse as a diagnostic with the
// position of the offending key or value, instead of throwing.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "topology/diagnostic.h"

namespace nettopo::topology {

/// Reads values out of toml++ nodes for one file; all findings go to the Diagnostics it was given
/// (which must outlive it).
class TomlReader {
 public:
  TomlReader(Diagnostics& diagnostics, std::string file)
      : diagnostics_(diagnostics), file_(std::move(file)) {}

  Diagnostics& diagnostics() { return diagnostics_; }
  const std::string& file() const { return file_; }

  SourceLocation at(const toml::source_region& region) const;
  SourceLocation at(const toml::node& node) const { return at(node.source()); }
  SourceLocation at(const toml::key& key) const { return at(key.source()); }

  /// The entries of `table` in the order they were written (toml++ keeps them sorted by key).
  static std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(
      const toml::table& table);

  /// Reports every key of `table` not in `known` as "unknown key 'K' CONTEXT", with a hint for near
  /// misses. `context` reads like "in node 'r1'".
  void check_keys(const toml::table& table, const std::vector<std::string>& known,
                  std::string_view context);

  /// "a string", "an integer", ... for messages.
  static std::string type_name(const toml::node& node);

  /// The value as a string, or nullopt after reporting "'NAME' must be a string, not a T".
  std::optional<std::string> string(const toml::node& node, std::string_view name);
  std::optional<int64_t> integer(const toml::node& node, std::string_view name);
  /// The value as an integer from `min` to `max`, or nullopt after reporting a wrong type or
  /// "LABEL N is outside MIN..MAX" (with `hint`, if any).
  std::optional<int64_t> integer_in(const toml::node& node, std::string_view name, int64_t min,
                                    int64_t max, std::string_view label, std::string hint = {});
  std::optional<bool> boolean(const toml::node& node, std::string_view name);
  /// An optional boolean key of `table`: sets `out` when the key holds a boolean and leaves it
  /// alone when the key is absent (both true); false after reporting a value of another type.
  bool optional_flag(const toml::table& table, std::string_view name, bool& out);
  const toml::table* table(const toml::node& node, std::string_view name);
  const toml::array* array(const toml::node& node, std::string_view name);
  /// The tables of an array of tables ([[NAME]]), each with its number as written, from 1 (an
  /// element that is not a table keeps its number and is reported: "elements of 'NAME' must be
  /// tables, not T", with `hint`). Empty, after reporting, when `node` is not an array.
  std::vector<std::pair<size_t, const toml::table*>> tables(const toml::node& node,
                                                            std::string_view name,
                                                            const std::string& hint = {});

 private:
  void wrong_type(const toml::node& node, std::string_view name, std::string_view wanted);

  Diagnostics& diagnostics_;
  std::string file_;
};

}  // namespace nettopo::topology
