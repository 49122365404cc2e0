#pragma once

// Reading a fixed-size record from a pipe or socket, shared by nettopo (init_spawner.cc) and
// nettopo-init (node_init.cc) on the two ends of the spawn protocol. Header-only and free of
// exceptions and allocation: nettopo-init links neither the C++ runtime nor nettopo::sys.

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace nettopo {

/// Reads exactly `size` bytes into `buffer`, retrying short reads and EINTR. False at end of
/// file or on a read error: a record is either whole or not there.
inline bool read_fully(int fd, void* buffer, size_t size) {
  char* cursor = static_cast<char*>(buffer);
  while (size > 0) {
    ssize_t got = ::read(fd, cursor, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    cursor += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace nettopo
