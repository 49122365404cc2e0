#include <unistd.h>

#include <atomic>
#include <cctype>
#include <string>

#include "nettopo/lab.h"

namespace nettopo::api {

std::string unique_lab_name(std::string_view base) {
  // topology/name_rules.h: a letter, then letters, digits, '-' or '_'. The PID keeps concurrent
  // test processes apart; the counter, the labs of one process.
  static std::atomic<unsigned> counter{0};
  std::string name;
  for (char c : base) {
    if (name.size() == 10) break;
    bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
    if (name.empty() && !letter) continue;
    if (letter || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_') name += c;
  }
  if (name.empty()) name = "lab";
  return name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace nettopo::api
