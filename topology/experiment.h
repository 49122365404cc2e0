#pragma once

// What a lab file says about an experiment on the lab: [[checks]] (what must be true),
// [[steps]] (what happens, in order) and [collect] (what to keep before down). Plain data, part
// of the Lab model; docs/topology.md and docs/experiments.md describe the keys.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nettopo::topology {

/// One [[checks]] entry: a shell command run in each of its nodes that passes on exit status 0
/// (and, with `expect`, when its output matches the regular expression).
struct Check {
  std::string name;                   ///< as written, or derived from `run` / `ping`
  std::vector<std::string> nodes;     ///< resolved: "*" becomes every node, in file order
  std::string run;                    ///< the shell command (`ping = "h2"` is written out here)
  std::optional<std::string> expect;  ///< ECMAScript regular expression searched in the output
  std::optional<uint32_t> within_us;  ///< retry until it passes or this is over; nullopt = once
  /// false: not run when the lab comes up (by test, up --wait, check), only by a check step
  /// ("r1 takes the detour" is true only after a link went down).
  bool initially = true;
  int line = 0;  ///< where the check was written, in Lab::source_file
  int column = 0;

  bool operator==(const Check&) const = default;
};

/// One [[steps]] entry. `kind` says which of the groups of fields below is set.
struct Step {
  enum class Kind { Link, Run, Wait, Check };
  Kind kind = Kind::Wait;
  std::string name;  ///< as written, or derived ("r2:eth1 down", "h1: iperf3 -c h2")

  // Kind::Link: a change to one end of a link, applied by core/link_control.h.
  std::string link;  ///< "NODE:IF" (a bridge port too)
  std::optional<bool> up;
  std::optional<std::string> rate, delay, jitter, loss;  ///< as written: "1mbit", "5ms", "10%"
  bool blackhole = false;
  bool clear = false;  ///< back to the values in the lab file

  // Kind::Run: a shell command in a node.
  std::string node;
  std::string run;
  bool background = false;            ///< started and left running (output kept), not waited for
  uint32_t timeout_us = 300'000'000;  ///< a foreground command is killed after this long

  // Kind::Wait.
  uint32_t wait_us = 0;

  // Kind::Check: names of [[checks]] to run again, each with its own `within`.
  std::vector<std::string> checks;

  int line = 0;
  int column = 0;

  bool operator==(const Step&) const = default;
};

/// [collect]: what to save from the nodes before the lab goes down. Each entry is (node, item),
/// "*" already expanded, in file order.
struct Collect {
  std::vector<std::pair<std::string, std::string>> files;     ///< (node, absolute path in it)
  std::vector<std::pair<std::string, std::string>> commands;  ///< (node, shell command)

  bool empty() const { return files.empty() && commands.empty(); }
  bool operator==(const Collect&) const = default;
};

}  // namespace nettopo::topology
