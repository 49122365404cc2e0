#pragma once

// Shell completion, computed here once for bash, zsh and fish: each shell's script (under
// scripts/completion/) runs the hidden `nettopo __complete WORDS... CURRENT` and offers what it
// prints.

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace nettopo::cli {

/// The name of the hidden command the shell scripts run.
inline constexpr const char* kCompleteCommand = "__complete";

/// What the shell should offer for the word being typed.
struct Completion {
  std::vector<std::string> words;  ///< candidates that start with the typed word
  bool files = false;              ///< file names fit here too (a lab file, --output)
};

/// The running labs as completion sees them. Tests supply their own; `running_labs()` reads the
/// runtime directory and treats anything it cannot read as absent.
struct LabCatalog {
  std::function<std::vector<std::string>()> labs;
  /// A lab's nodes and bridges, each with its interface names.
  std::function<std::vector<std::pair<std::string, std::vector<std::string>>>(const std::string&)>
      nodes;
};
LabCatalog running_labs();

/// Completes the last of `words`, the arguments after `nettopo` up to the cursor (the last one
/// is the partial word, possibly empty), from the commands and options declared in `app`.
/// Never throws for odd input: completion offers nothing rather than fail.
Completion complete(const CLI::App& app, const std::vector<std::string>& words,
                    const LabCatalog& catalog);

/// The lines `nettopo __complete` prints: one candidate a line, then `:files` when file names fit.
std::string format_completion(const Completion& completion);

}  // namespace nettopo::cli
