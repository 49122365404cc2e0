#include "topology/regular_file.h"

namespace nettopo::topology {
namespace {

namespace fs = std::filesystem;

std::string type_name(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a file";
  }
}

}  // namespace

std::optional<std::string> check_regular_file(const fs::path& path, std::uintmax_t limit) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return "does not exist";
  if (error) return "cannot be read: " + error.message();
  if (status.type() != fs::file_type::regular)
    return "is " + type_name(status.type()) + ", not a regular file";
  std::uintmax_t size = fs::file_size(path, error);
  if (error) return "cannot be read: " + error.message();
  if (size > limit) return "is larger than " + byte_size_text(limit);
  return std::nullopt;
}

std::string byte_size_text(std::uintmax_t bytes) {
  if (bytes >= (1u << 30) && bytes % (1u << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace nettopo::topology
