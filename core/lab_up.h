#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "topology/model.h"

namespace nettopo {

struct UpOptions {
  std::filesystem::path init_binary;  ///< nettopo-init
  /// How long programs get to stop when up first removes what an unfinished earlier run left.
  std::chrono::milliseconds grace{2000};
  std::chrono::milliseconds ready_timeout{60000};
  /// Called as each phase begins ("creating 1000 namespaces"), and with "" when up is done or
  /// failed, before anything is logged about it: for a progress display. Optional.
  std::function<void(const std::string&)> on_phase;
};

/// Brings a resolved lab up: namespaces, links, addresses, routes, sysctls, /etc/hosts, exec
/// steps, run programs. Returns once the lab runs on its own. Throws on failure after tearing
/// down everything it had made, so a failed `up` leaves nothing behind. Throws UsageError when a
/// lab of that name is already up. SIGINT, SIGTERM and SIGHUP during it roll back the same
/// way and then throw Interrupted.
void lab_up(const topology::Lab& lab, const UpOptions& options);

}  // namespace nettopo
