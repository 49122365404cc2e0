#include "core/cli/completion.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>
#include <set>

#include "core/running_lab.h"
#include "core/runtime_dir.h"

namespace nettopo::cli {
namespace {

std::vector<std::string> option_names(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const auto& name : option.get_lnames()) names.push_back("--" + name);
  for (const auto& name : option.get_snames()) names.push_back("-" + name);
  return names;
}

std::vector<std::string> all_option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options())
    if (!option->get_positional())
      for (auto& name : option_names(*option)) names.push_back(std::move(name));
  return names;
}

// The option `word` names in `app`, with `--name=value` reduced to its name.
const CLI::Option* find_option(const CLI::App& app, const std::string& word) {
  if (!word.starts_with('-')) return nullptr;
  std::string name = word.substr(0, word.find('='));
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) continue;
    auto names = option_names(*option);
    if (std::find(names.begin(), names.end(), name) != names.end()) return option;
  }
  return nullptr;
}

bool takes_value(const CLI::Option& option) { return option.get_items_expected_max() > 0; }

// The choices of an option checked with CLI::IsMember, from its type name "TEXT:{dot,json}".
std::vector<std::string> choices_of(const CLI::Option& option) {
  std::string type = option.get_type_name();
  auto open = type.find('{');
  auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> choices;
  std::string list = type.substr(open + 1, close - open - 1);
  for (size_t start = 0; start <= list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) choices.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return choices;
}

bool has_long_name(const CLI::Option& option, const std::string& name) {
  const auto& names = option.get_lnames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What fits a positional argument, by the name its command gave it.
enum class Slot { kNothing, kFile, kNode, kEndpoint };
Slot slot_of(const std::string& name) {
  if (name == "file") return Slot::kFile;
  if (name == "node") return Slot::kNode;
  if (name.find("endpoint") != std::string::npos) return Slot::kEndpoint;
  return Slot::kNothing;
}

std::vector<std::string> node_words(const LabCatalog& catalog,
                                    const std::optional<std::string>& lab, bool endpoints) {
  std::vector<std::string> labs = lab ? std::vector<std::string>{*lab} : catalog.labs();
  std::set<std::string> words;  // a node in two labs is offered once
  for (const auto& name : labs)
    for (const auto& [node, interfaces] : catalog.nodes(name)) {
      if (!endpoints) words.insert(node);
      for (const auto& interface : interfaces)
        if (endpoints) words.insert(std::string(node).append(":").append(interface));
    }
  return {words.begin(), words.end()};
}

Completion completions_for(const CLI::App& app, const std::vector<std::string>& words,
                           const LabCatalog& catalog) {
  Completion result;
  const std::string& current = words.back();
  std::vector<std::string> before(words.begin(), words.end() - 1);

  // nettopo's own options come before the command and take no value.
  auto command_word = std::find_if(before.begin(), before.end(),
                                   [](const std::string& word) { return !word.starts_with('-'); });
  if (command_word == before.end()) {
    if (current.starts_with('-')) return {all_option_names(app)};
    for (const CLI::App* command : app.get_subcommands({}))
      if (command->get_group() != "") result.words.push_back(command->get_name());
    return result;
  }
  const CLI::App* command = nullptr;
  for (const CLI::App* each : app.get_subcommands({}))
    if (each->get_name() == *command_word) command = each;
  if (!command) return result;

  // Walk the command's arguments: which option waits for a value, which positionals are filled.
  std::optional<std::string> lab;
  const CLI::Option* awaiting = nullptr;
  size_t positionals = 0;
  bool only_positionals = false;
  for (auto word = command_word + 1; word != before.end(); ++word) {
    if (awaiting) {
      if (has_long_name(*awaiting, "lab")) lab = *word;
      awaiting = nullptr;
      continue;
    }
    if (!only_positionals && *word == "--") {
      only_positionals = true;
      continue;
    }
    if (!only_positionals && word->starts_with('-')) {
      const CLI::Option* option = find_option(*command, *word);
      if (!option) option = find_option(app, *word);
      if (!option || !takes_value(*option)) continue;
      if (auto equals = word->find('='); equals != std::string::npos) {
        if (has_long_name(*option, "lab")) lab = word->substr(equals + 1);
      } else {
        awaiting = option;
      }
      continue;
    }
    ++positionals;
  }

  if (awaiting) {
    if (has_long_name(*awaiting, "lab")) return {catalog.labs()};
    if (has_long_name(*awaiting, "output")) return {{}, true};
    return {choices_of(*awaiting)};
  }
  if (current.starts_with('-') && !only_positionals) {
    result.words = all_option_names(*command);
    if (const CLI::Option* help = command->get_help_ptr())
      for (auto& name : option_names(*help)) result.words.push_back(std::move(name));
    return result;
  }
  std::vector<const CLI::Option*> slots =
      command->get_options([](const CLI::Option* option) { return option->get_positional(); });
  if (positionals >= slots.size()) return result;  // exec's command: the shell's business
  switch (slot_of(slots[positionals]->get_name(true))) {
    case Slot::kFile:
      result.files = true;
      break;
    case Slot::kNode:
      result.words = node_words(catalog, lab, false);
      break;
    case Slot::kEndpoint:
      result.words = node_words(catalog, lab, true);
      break;
    case Slot::kNothing:
      break;
  }
  return result;
}

}  // namespace

LabCatalog running_labs() {
  LabCatalog catalog;
  catalog.labs = [] {
    try {
      return list_labs();
    } catch (const std::exception&) {
      return std::vector<std::string>{};
    }
  };
  catalog.nodes = [](const std::string& name) {
    std::vector<std::pair<std::string, std::vector<std::string>>> nodes;
    try {
      RunningLab lab = load_running_lab(name);
      for (const auto& node : lab.model.nodes) nodes.push_back({node.name, {}});
      for (const auto& bridge : lab.model.bridges) nodes.push_back({bridge.name, {}});
      for (const auto& link : lab.model.links)
        for (const auto& end : link.ends)
          for (auto& [node, interfaces] : nodes)
            if (node == end.owner) interfaces.push_back(end.interface);
    } catch (const std::exception&) {
      // Not readable (not root) or not up: nothing to offer.
    }
    return nodes;
  };
  return catalog;
}

Completion complete(const CLI::App& app, const std::vector<std::string>& words,
                    const LabCatalog& catalog) {
  if (words.empty()) return complete(app, {""}, catalog);
  Completion completion = completions_for(app, words, catalog);
  const std::string& current = words.back();
  std::erase_if(completion.words,
                [&](const std::string& word) { return !word.starts_with(current); });
  std::sort(completion.words.begin(), completion.words.end());
  completion.words.erase(std::unique(completion.words.begin(), completion.words.end()),
                         completion.words.end());
  return completion;
}

std::string format_completion(const Completion& completion) {
  std::string text;
  for (const auto& word : completion.words) text += word + "\n";
  if (completion.files) text += ":files\n";
  return text;
}

}  // namespace nettopo::cli
