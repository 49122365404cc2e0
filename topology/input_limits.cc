#include "topology/input_limits.h"

namespace nettopo::topology {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<InputLimitBreach> run() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == '#') {
        skip_comment();
      } else if (c == '"' || c == '\'') {
        skip_string(c);
        in_key_part_ = true;
      } else if (c == '[' || c == '{') {
        if (++depth_ > kMaxNesting) {
          return breach("arrays and inline tables nest deeper than " + std::to_string(kMaxNesting) +
                            " levels",
                        "a lab file needs only a few levels");
        }
        end_chain();
        advance();
      } else if (c == ']' || c == '}') {
        if (depth_ > 0) --depth_;
        end_chain();
        advance();
      } else if (c == '.') {
        // A dot after a key part continues a dotted key; a float's one dot counts the same,
        // which stays far below the bound.
        if (in_key_part_ && ++dots_ + 1 > kMaxKeyParts) {
          return breach("a dotted key has more than " + std::to_string(kMaxKeyParts) + " parts",
                        "a lab file needs keys of a few parts, such as nodes.r1.forward");
        }
        in_key_part_ = false;
        advance();
      } else if (is_bare_key_char(c)) {
        in_key_part_ = true;
        advance();
      } else if (c == ' ' || c == '\t') {
        advance();
      } else {
        end_chain();
        advance();
      }
    }
    return std::nullopt;
  }

 private:
  // Moves one byte on, keeping line and column (in characters, as the parser counts them).
  void advance() {
    auto byte = static_cast<unsigned char>(text_[i_++]);
    if (byte == '\n') {
      ++line_;
      column_ = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column_;
    }
  }

  bool at(std::string_view what) const { return text_.substr(i_, what.size()) == what; }

  void end_chain() {
    dots_ = 0;
    in_key_part_ = false;
  }

  void skip_comment() {
    while (i_ < text_.size() && text_[i_] != '\n') advance();
  }

  // Skips a string of any of TOML's four kinds. Basic strings take backslash escapes; a
  // single-line string ends at the line's end even when unterminated (the parser reports it).
  void skip_string(char quote) {
    std::string triple(3, quote);
    bool multi_line = at(triple);
    for (size_t n = 0; n < (multi_line ? 3 : 1); ++n) advance();
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (multi_line && at(triple)) {
        // Up to two more quotes may belong to the content ("""a"""""): take them all.
        for (int n = 0; n < 3; ++n) advance();
        while (i_ < text_.size() && text_[i_] == quote) advance();
        return;
      }
      if (!multi_line && (c == quote || c == '\n')) {
        if (c == quote) advance();
        return;
      }
      if (c == '\\' && quote == '"') advance();
      if (i_ < text_.size()) advance();
    }
  }

  std::optional<InputLimitBreach> breach(std::string message, std::string hint) const {
    return InputLimitBreach{line_, column_, std::move(message), std::move(hint)};
  }

  std::string_view text_;
  size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
  int depth_ = 0;
  int dots_ = 0;
  bool in_key_part_ = false;
};

}  // namespace

std::optional<InputLimitBreach> check_input_limits(std::string_view text) {
  return Scanner(text).run();
}

}  // namespace nettopo::topology
