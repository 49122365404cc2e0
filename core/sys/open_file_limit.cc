#include "core/sys/open_file_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace nettopo {

OpenFileLimit open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  return {limit.rlim_cur, limit.rlim_max};
}

OpenFileLimit raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised{limit.rlim_max, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
      limit = raised;
    else  // not an error yet: what a lab needs is checked against what is left
      spdlog::debug("raise the open-file limit from {} to {}: {}", limit.rlim_cur, limit.rlim_max,
                    std::strerror(errno));
  }
  return {limit.rlim_cur, limit.rlim_max};
}

}  // namespace nettopo
