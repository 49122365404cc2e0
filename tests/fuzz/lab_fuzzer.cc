// libFuzzer target: any bytes through the lab parser and validator (load_lab_string), as
// `nettopo validate` reads a file. Besides crashes, leaks, undefined behaviour and hangs (which
// the sanitizers and libFuzzer's -timeout catch), it checks what the loader promises:
// - a lab comes out only when there is no error;
// - every diagnostic is one line (plus one hint line), without a control byte, and short;
// - a lab that loads can be summarised and drawn.
// Build and run it with tests/fuzz/run (see tests/README.md).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "topology/dot_export.h"
#include "topology/loader.h"
#include "topology/summary.h"

namespace {

using nettopo::topology::Diagnostics;

[[noreturn]] void broken(const char* what, const std::string& text) {
  std::fprintf(stderr, "fuzz: %s: %s\n", what, text.substr(0, 500).c_str());
  std::abort();
}

void check_tame(const nettopo::topology::Diagnostic& diagnostic) {
  std::string text = diagnostic.to_string();
  if (text.size() > 3 * Diagnostics::kMaxMessageLength + 200) broken("diagnostic too long", text);
  size_t newlines = 0;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      ++newlines;
    } else if (byte < 0x20 || byte == 0x7f) {
      broken("control byte in a diagnostic", text);
    }
  }
  if (newlines > (diagnostic.hint.empty() ? 0u : 1u)) broken("diagnostic of several lines", text);
}

}  // namespace

// The name libFuzzer calls: not ours to choose.
// NOLINTNEXTLINE(readability-identifier-naming)
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = nettopo::topology::load_lab_string(text, "/nonexistent/fuzz/lab.toml");
  for (const auto& diagnostic : result.diagnostics.all()) check_tame(diagnostic);
  if (result.lab.has_value() == result.diagnostics.has_errors())
    broken("a lab and errors, or neither", std::string(text));
  if (result.lab) {
    (void)nettopo::topology::summarize(*result.lab);
    (void)nettopo::topology::to_dot(*result.lab);
  }
  return 0;
}
