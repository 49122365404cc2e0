#pragma once

#include <cstdint>

namespace nettopo {

/// The open-file limit (RLIMIT_NOFILE) of this process. RLIM_INFINITY reads as UINT64_MAX.
struct OpenFileLimit {
  uint64_t soft = 0;
  uint64_t hard = 0;
};

/// Raises the soft open-file limit to the hard one, once, at start: a lab holds a few
/// descriptors per node while it is built and taken down, and the usual soft limit of 1024
/// would end a lab of a few hundred nodes halfway. Never throws: when the kernel refuses (the
/// hard limit above fs.nr_open), the limit stays as it was, and `up` checks what it needs
/// before it builds anything (host_limits.h). Returns the limit now in force.
OpenFileLimit raise_open_file_limit();

/// The limit now in force.
OpenFileLimit open_file_limit();

}  // namespace nettopo
