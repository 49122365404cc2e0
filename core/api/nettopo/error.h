#pragma once

// The one exception the nettopo C++ API throws.

#include <stdexcept>
#include <string>

namespace nettopo::api {

/// Everything the API throws is an Error. what() is the text the nettopo command would print
/// after "nettopo: error: ", one sentence a user can act on; for a lab file with mistakes it is
/// every diagnostic, one per line, "lab.toml:12:3: error: MESSAGE" (and "  hint: ..." lines).
/// exit_code() is what the nettopo command would exit with: 2 for bad input or usage (a bad lab
/// file, an unknown node, a lab of that name already up, not root), 1 when an operation failed
/// (the kernel refused, a process died), another code for the few failures the shell has a code
/// for (130 after ^C).
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, int exit_code)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }
  /// Whether the caller's input was at fault (exit code 2), not the system.
  bool bad_input() const { return exit_code_ == 2; }

 private:
  int exit_code_;
};

}  // namespace nettopo::api
