#pragma once

// Mistakes found in a topology file, collected so the user sees all of them at once.

#include <cstddef>
#include <string>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

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

/// The findings of one load, ordered by position in the file.
class Diagnostics {
 public:
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
