#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/sys/child_process.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// What one node's (or bridge's) init is started with.
struct InitRequest {
  uint32_t index = 0;                  ///< the caller's number for it, echoed back
  int clone_flags = 0;                 ///< CLONE_NEW* flags
  std::vector<std::string> arguments;  ///< nettopo-init arguments, without argv[0]
};

/// Starts node inits through one zygote (`nettopo-init --zygote`), which forks each init into its
/// new namespaces: no exec per node, and the inits share the zygote's pages.
/// Requests are pipelined; `on_spawned` is called with (index, pid) as answers arrive.
class InitSpawner {
 public:
  using SpawnedCallback = std::function<void(uint32_t index, pid_t pid)>;

  /// Starts the zygote from `init_binary`. The zygote and every init carry `--lab LAB --token
  /// TOKEN` on their command line (see make_lab_token). Throws SystemError.
  InitSpawner(const std::filesystem::path& init_binary, const std::string& lab,
              const std::string& token, SpawnedCallback on_spawned);
  /// Stops the zygote; inits it made live on.
  ~InitSpawner();
  InitSpawner(const InitSpawner&) = delete;
  InitSpawner& operator=(const InitSpawner&) = delete;

  /// Queues a request; may block to read answers when many are outstanding.
  /// Throws Error when the zygote could not clone (e.g. "clone: Cannot allocate memory").
  void spawn(const InitRequest& request);
  /// Waits for every answer, then lets the zygote go.
  void finish();
  /// Waits until `count` inits have reported that their setup is done. Throws Error naming the
  /// first that failed (through `name_of(index)`), or when inits die silently or time runs out.
  void wait_ready(size_t count, std::chrono::milliseconds timeout,
                  const std::function<std::string(uint32_t)>& name_of);

 private:
  void read_answer();
  void stop_zygote();

  SpawnedCallback on_spawned_;
  UniqueFd requests_;
  UniqueFd ready_;
  ChildProcess zygote_;
  size_t outstanding_ = 0;
};

/// The nettopo-init binary: $NETTOPO_INIT, else beside the running executable, else in
/// ../libexec/nettopo from it (where `cmake --install` and the .deb put it), else `last_resort`
/// when given and present (the C++ API passes where its installed package put it, since a program
/// linking the library lives elsewhere). Throws Error when it is missing.
std::filesystem::path find_init_binary(const std::filesystem::path& last_resort = {});

}  // namespace nettopo
