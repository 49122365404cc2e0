#pragma once

// Bounds a lab file must keep before it reaches the TOML parser, whose recursion and memory grow
// with its input: a dotted key of 40,000 parts overflowed the stack. Checked on the raw text by
// a small scanner that knows TOML's strings and comments and nothing else.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nettopo::topology {

/// Largest lab file read, in bytes. A lab of 10,000 nodes takes about 1 MB.
inline constexpr size_t kMaxLabFileBytes = size_t{16} << 20;
/// Deepest nesting of arrays and inline tables (a table header's brackets count too).
inline constexpr int kMaxNesting = 32;
/// Most parts in one dotted key ("nodes.r1.sysctl" has 3).
inline constexpr int kMaxKeyParts = 32;

/// Where a text first breaks a bound, and which.
struct InputLimitBreach {
  int line = 0;  ///< 1-based
  int column = 0;
  std::string message;  ///< "arrays and inline tables nest deeper than 32 levels"
  std::string hint;
};

/// The first place where `text` nests deeper than kMaxNesting or writes a dotted key of more
/// than kMaxKeyParts parts; nullopt when it stays within both. Linear in the text, no recursion.
/// The size limit is the caller's (it must be checked before the text is read into memory).
std::optional<InputLimitBreach> check_input_limits(std::string_view text);

}  // namespace nettopo::topology
