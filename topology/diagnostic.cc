#include "topology/diagnostic.h"

#include <algorithm>

namespace nettopo::topology {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Escapes control characters: C0 (and DEL) as \n, \t, \r or \xNN; C1 (U+0080..U+009F, which
// some terminals obey as ESC sequences) as \u00NN. Keeps at most `max_characters` characters,
// then "…".
std::string escape(std::string_view value, size_t max_characters) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(value.size(), max_characters * 4) + 3);
  size_t characters = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    auto byte = static_cast<unsigned char>(value[i]);
    if (!is_continuation(byte) && ++characters > max_characters) {
      out += "…";
      break;
    }
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
    } else if (byte == 0xC2 && i + 1 < value.size() &&
               static_cast<unsigned char>(value[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(value[i + 1]) <= 0x9f) {
      auto code = static_cast<unsigned char>(value[++i]);
      out += {'\\', 'u', '0', '0', kHex[code >> 4], kHex[code & 0xf]};
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view value) { return escape(value, kMaxShownLength); }

std::string in_quotes(std::string_view value) { return "'" + printable(value) + "'"; }

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
  // Messages quote values with in_quotes(); this catches whatever reached one another way.
  where.file = escape(where.file, kMaxMessageLength);
  message = escape(message, kMaxMessageLength);
  hint = escape(hint, kMaxMessageLength);
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
