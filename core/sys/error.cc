#include "core/sys/error.h"

#include <cerrno>
#include <cstring>

namespace nettopo {

std::string describe_failure(const std::string& operation, const std::string& object,
                             int error_number, const std::string& detail, const std::string& hint) {
  std::string text = operation;
  if (!object.empty()) text += " " + object;
  text += ": ";
  if (!hint.empty()) text += hint + ": ";
  text += std::strerror(error_number);
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

SystemError::SystemError(const std::string& operation, const std::string& object)
    : SystemError(operation, object, errno) {}

SystemError::SystemError(const std::string& operation, const std::string& object, int error_number,
                         const std::string& detail)
    : SystemError(Message{describe_failure(operation, object, error_number, detail)}, operation,
                  object, error_number) {}

SystemError::SystemError(const Message& message, const std::string& operation,
                         const std::string& object, int error_number)
    : Error(message.text), operation_(operation), object_(object), error_number_(error_number) {}

}  // namespace nettopo
