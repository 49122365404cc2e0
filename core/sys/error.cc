#include "core/sys/error.h"

#include <cerrno>
#include <cstring>

namespace nettopo {
namespace {

std::string describe(const std::string& operation, const std::string& object, int error_number,
                     const std::string& detail) {
  std::string text = operation;
  if (!object.empty()) text += " " + object;
  text += ": ";
  text += std::strerror(error_number);
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

}  // namespace

SystemError::SystemError(const std::string& operation, const std::string& object)
    : SystemError(operation, object, errno) {}

SystemError::SystemError(const std::string& operation, const std::string& object, int error_number,
                         const std::string& detail)
    : Error(describe(operation, object, error_number, detail)),
      operation_(operation),
      object_(object),
      error_number_(error_number) {}

}  // namespace nettopo
