#pragma once

// What a node's init writes to its parent once, on the shared readiness pipe: either "ready"
// (error == 0) or why its setup failed. Fixed size and below PIPE_BUF, so writes from many
// inits on one pipe never interleave. Plain C layout: the init is built without the C++ runtime.

#include <stdint.h>

namespace nettopo::init {

struct ReadyRecord {
  uint32_t index;  ///< the --index the init was started with
  int32_t error;   ///< 0 when ready, else the errno of the failed step
  char what[120];  ///< the failed step, e.g. "mount proc on /proc"; empty when ready
};

static_assert(sizeof(ReadyRecord) == 128);

}  // namespace nettopo::init
