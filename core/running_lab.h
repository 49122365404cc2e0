#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/journal.h"
#include "core/runtime_dir.h"
#include "topology/model.h"

namespace nettopo {

/// A lab as a later command finds it: the resolved model `up` saved, and its journal.
struct RunningLab {
  RuntimeDir dir;
  topology::Lab model;
  JournalEntries journal;

  /// The init of a node or bridge, if the journal names one.
  std::optional<ProcessRef> init_of(const std::string& name) const;
  bool is_bridge(const std::string& name) const { return model.find_bridge(name) != nullptr; }
};

/// How far a lab's `up` got.
enum class BuildState {
  Complete,   ///< up finished: the lab runs
  Building,   ///< up is still at work on it (or rolling it back)
  Abandoned,  ///< up died before it finished (SIGKILL, a crash): only `down` helps
};
BuildState build_state(const JournalEntries& journal);
/// "complete", "building" or "abandoned".
const char* to_string(BuildState state);

/// Loads lab `name`. Throws UsageError when no such lab is up (listing those that are), Error
/// when its up has not finished, saying whether that up still runs or died.
RunningLab load_running_lab(const std::string& name);

/// Which lab a node belongs to: `lab` when given, else the only running lab that has a node
/// (or bridge) of that name. Throws UsageError listing the choices when it is unknown or
/// ambiguous.
std::string find_lab_of(const std::optional<std::string>& lab, const std::string& node);

/// The running labs that `up` built from lab file `path` (whatever name they were given), sorted.
std::vector<std::string> labs_started_from(const std::string& path);

/// Lists the running labs in words, for error messages: "a, b" or "none".
std::string describe_running_labs();

}  // namespace nettopo
