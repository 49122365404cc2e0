#include "core/experiment/experiment_record.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace nettopo {

bool ExperimentRecord::passed() const {
  if (!error.empty()) return false;
  for (const auto& run : checks)
    if (!run.passed) return false;
  for (const auto& step : steps)
    if (step.outcome != "passed") return false;
  return true;
}

std::string iso_time_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace nettopo
