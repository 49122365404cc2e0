#pragma once

#include <stdexcept>
#include <string>

namespace nettopo {

/// An operation failed (the kernel refused, a process died, a file is missing). Exit code 1.
/// what() is one sentence a user can act on: "OPERATION OBJECT: REASON".
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The user asked for something impossible: bad arguments, unknown lab or node. Exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A failure that ends nettopo with an exit status of its own: exec's 127 (command not found)
/// and 126 (not executable), which scripts know from the shell; 128 + N after signal N.
class ExitStatusError : public Error {
 public:
  ExitStatusError(const std::string& message, int status) : Error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/// The one shape of a failed call's message, for SystemError and what builds on it:
/// "OPERATION OBJECT: [HINT: ]strerror(ERROR_NUMBER)[ (DETAIL)]". `object`, `hint` and `detail`
/// may be empty.
std::string describe_failure(const std::string& operation, const std::string& object,
                             int error_number, const std::string& detail = {},
                             const std::string& hint = {});

/// A system call failed. Records errno at construction, so build it right after the failing call.
class SystemError : public Error {
 public:
  /// `operation` says what was attempted ("open", "create veth"), `object` on what ("/run/x").
  SystemError(const std::string& operation, const std::string& object);
  SystemError(const std::string& operation, const std::string& object, int error_number,
              const std::string& detail = {});

  int error_number() const { return error_number_; }
  const std::string& operation() const { return operation_; }
  const std::string& object() const { return object_; }

 protected:
  /// For an error whose message says more than operation and object (NetlinkError: the
  /// namespace, a hint): `message` is its whole what(), made by describe_failure().
  struct Message {
    std::string text;
  };
  SystemError(const Message& message, const std::string& operation, const std::string& object,
              int error_number);

 private:
  std::string operation_;
  std::string object_;
  int error_number_;
};

}  // namespace nettopo
