#pragma once

// The files a lab names on the host (the lab file itself, `files` sources) are read whole.
// Reading /dev/zero would never end and opening a FIFO would block: only regular files of a
// bounded size are read.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "topology/input_limits.h"  // kMaxLabFileBytes

namespace nettopo::topology {

/// Largest `files` source nettopo copies into a node.
inline constexpr std::uintmax_t kMaxCopiedFileBytes = 1u << 30;

/// nullopt when `path` (symbolic links followed) is a regular file of at most `limit` bytes,
/// else why not, to follow the file's name: "is a FIFO, not a regular file", "is larger than
/// 16 MiB". A missing file: "does not exist".
std::optional<std::string> check_regular_file(const std::filesystem::path& path,
                                              std::uintmax_t limit);

/// "16 MiB", "1 GiB", "512 bytes".
std::string byte_size_text(std::uintmax_t bytes);

}  // namespace nettopo::topology
