#include "topology/diagnostic.h"

#include <algorithm>

namespace nettopo::topology {

std::string Diagnostic::to_string() const {
  std::string text = where.file;
  if (where.line > 0) {
    text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  }
  text += severity == Severity::Error ? ": error: " : ": warning: ";
  text += message;
  if (!hint.empty()) text += "\n  hint: " + hint;
  return text;
}

void Diagnostics::error(SourceLocation where, std::string message, std::string hint) {
  add(Diagnostic::Severity::Error, std::move(where), std::move(message), std::move(hint));
  ++error_count_;
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string hint) {
  add(Diagnostic::Severity::Warning, std::move(where), std::move(message), std::move(hint));
}

void Diagnostics::add(Diagnostic::Severity severity, SourceLocation where, std::string message,
                      std::string hint) {
  all_.push_back(Diagnostic{severity, std::move(where), std::move(message), std::move(hint)});
  sorted_ = false;
}

const std::vector<Diagnostic>& Diagnostics::all() const {
  if (!sorted_) {
    std::stable_sort(all_.begin(), all_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
    });
    sorted_ = true;
  }
  return all_;
}

}  // namespace nettopo::topology
