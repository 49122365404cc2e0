#include "topology/impairment_parser.h"

#include <cctype>
#include <cmath>
#include <string>

namespace nettopo::topology {
namespace {

// Splits "12.5mbit" into 12.5 and "mbit". Only plain decimals: no sign, exponent or spaces,
// which tc would not take either.
bool split_number(std::string_view text, double& number, std::string& unit) {
  size_t end = 0;
  bool digits = false;
  bool dot = false;
  while (end < text.size()) {
    char c = text[end];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++end;
  }
  if (!digits) return false;
  number = std::stod(std::string(text.substr(0, end)));
  unit.clear();
  for (char c : text.substr(end))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::isfinite(number);
}

}  // namespace

std::optional<uint64_t> parse_rate(std::string_view text) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) return std::nullopt;
  double factor = 0;
  if (unit == "bit")
    factor = 1;
  else if (unit == "kbit")
    factor = 1e3;
  else if (unit == "mbit")
    factor = 1e6;
  else if (unit == "gbit")
    factor = 1e9;
  else if (unit == "tbit")
    factor = 1e12;
  else if (unit == "bps")
    factor = 8;
  else if (unit == "kbps")
    factor = 8e3;
  else if (unit == "mbps")
    factor = 8e6;
  else if (unit == "gbps")
    factor = 8e9;
  else if (unit == "tbps")
    factor = 8e12;
  else
    return std::nullopt;
  double bits = std::round(number * factor);
  if (bits < 1 || bits > 1.8e19) return std::nullopt;
  return static_cast<uint64_t>(bits);
}

std::optional<uint32_t> parse_duration_us(std::string_view text) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) return std::nullopt;
  double factor = 0;
  if (unit == "us" || unit == "usec" || unit == "usecs")
    factor = 1;
  else if (unit == "ms" || unit == "msec" || unit == "msecs")
    factor = 1e3;
  else if (unit == "s" || unit == "sec" || unit == "secs")
    factor = 1e6;
  else
    return std::nullopt;
  double us = std::round(number * factor);
  if (us > 4294967295.0) return std::nullopt;
  return static_cast<uint32_t>(us);
}

std::optional<double> parse_percent(std::string_view text) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit) || unit != "%") return std::nullopt;
  return number;
}

}  // namespace nettopo::topology
