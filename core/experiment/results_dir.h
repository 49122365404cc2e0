#pragma once

// The results directory: what outlives the lab. results.json (every check and step with times
// and outcomes), the lab as resolved (lab.json) and its file, the output of every node's
// programs, exec steps and run steps, the [collect] files and command outputs, and what makes
// the run reproducible (nettopo version, kernel release, lab file SHA-256, command line).
// Paths are named after nodes and files:
//   DIR/results.json  DIR/lab.json  DIR/LABFILE.toml
//   DIR/nodes/NODE/programs/COMMAND.log  DIR/nodes/NODE/exec.log  DIR/nodes/NODE/steps/STEP.log
//   (programs' and exec steps' logs each with LOG.times: when each line was written)
//   DIR/nodes/NODE/files/PATH  DIR/nodes/NODE/commands/COMMAND.txt

#include <filesystem>
#include <map>
#include <string>

#include "core/experiment/experiment_record.h"

namespace nettopo {

struct RunningLab;

/// The lab's scratch directory for experiment output, under its runtime directory (which the
/// nodes see, and which down removes).
std::filesystem::path experiment_scratch(const RunningLab& lab);

/// nettopo version, kernel release, lab file and its SHA-256, command line: for results.json
/// and the JUnit properties.
std::map<std::string, std::string> run_properties(const std::string& lab_file,
                                                  const std::string& command_line);

/// Runs the lab's [collect] into `dir` (recording each item in `record`), then writes everything
/// listed above. Call it while the lab is still up. A [collect] item that fails is recorded,
/// not thrown; throws SystemError when the directory cannot be written.
void save_results(const RunningLab& lab, ExperimentRecord& record,
                  const std::map<std::string, std::string>& properties,
                  const std::filesystem::path& dir);

/// A command or step name as a file name: "iperf3 -c h2 -J" -> "iperf3-c-h2-J".
std::string file_name_for(const std::string& text);

}  // namespace nettopo
