#pragma once

// The conversation between nettopo and the zygote (`nettopo-init --zygote`), over a socketpair.
// nettopo sends one SpawnRequest per node; the zygote clones a child into the requested
// namespaces, the child becomes that node's init, and the zygote answers with a SpawnReply.
// Forking from a tiny zygote instead of exec'ing per node saves the exec and lets a thousand
// idle inits share their pages. Plain C layout: the init is built without the C++ runtime.

#include <stdint.h>

namespace nettopo::init {

/// Followed by `argument_count` NUL-terminated strings: the node's own nettopo-init arguments.
struct SpawnRequest {
  uint32_t size;  ///< bytes, this header included
  uint32_t index;
  uint32_t clone_flags;  ///< CLONE_NEW* flags
  uint32_t argument_count;
};

struct SpawnReply {
  uint32_t index;
  int32_t pid;  ///< the init's PID as the host sees it, or -errno when clone failed
};

constexpr uint32_t kMaxSpawnRequest = 16384;

}  // namespace nettopo::init
