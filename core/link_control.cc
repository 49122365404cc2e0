#include "core/link_control.h"

#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {

void apply_link_change(const RunningLab& lab, std::string_view endpoint, const LinkChange&) {
  throw Error("lab " + lab.dir.lab() + ": changing link " + std::string(endpoint) +
              " is not implemented yet");
}

}  // namespace nettopo
