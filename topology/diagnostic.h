#pragma once

// Mistakes found in a topology file, collected so the user sees all of them at once.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

/// At most this many characters of any value a message shows.
inline constexpr size_t kMaxShownLength = 80;

/// `value` as a message shows it: control characters escaped ("\n", "\t", "\x1b", "\u009b"),
/// so a lab file cannot drive the terminal, and cut after kMaxShownLength characters with "…".
std::string printable(std::string_view value);

/// printable(value) in single quotes: 'r1'. Every value from a lab file that a message quotes
/// goes through this.
std::string in_quotes(std::string_view value);

/// One finding about a topology file: where, what, and optionally how to fix it.
struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;  ///< "link endpoint 'r9' names no node or bridge"
  std::string hint;     ///< optional: "did you mean 'r1'?"

  /// "lab.toml:12:3: error: MESSAGE" and, when there is a hint, "\n  hint: HINT".
  /// Without a line number the position is left out: "lab.toml: error: MESSAGE".
  std::string to_string() const;
};

/// The findings of one load, ordered by position in the file. Whatever a finding is given, its
/// file, message and hint hold no control character (they are escaped as printable() does) and
/// are at most kMaxMessageLength characters long.
class Diagnostics {
 public:
  static constexpr size_t kMaxMessageLength = 1000;

  void error(SourceLocation where, std::string message, std::string hint = {});
  void warning(SourceLocation where, std::string message, std::string hint = {});
  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  /// Every finding, sorted by (line, column); findings at one position keep the order of report.
  const std::vector<Diagnostic>& all() const;

 private:
  void add(Diagnostic::Severity severity, SourceLocation where, std::string message,
           std::string hint);

  mutable std::vector<Diagnostic> all_;
  mutable bool sorted_ = true;
  size_t error_count_ = 0;
};

}  // namespace nettopo::topology
