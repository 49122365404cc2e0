#pragma once

// Program and exec-step output on its way to a node's log: through a pipe to a log writer in
// the node (nettopo-init --log-writer, core/init/node_init.cc), which keeps the bytes as they are
// and notes when each line was written in a file beside the log, for `logs --timestamps`.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/process_ref.h"
#include "core/sys/child_process.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// The writing end of a log's pipe and the writer reading it.
struct LogPipe {
  UniqueFd write_end;  ///< close-on-exec; give it to commands with send_output_to
  ProcessRef writer;   ///< pid 0 when it had ended by the time it was looked for
};

/// Starts a log writer appending to `log` in node `node` (a child of its `init`, so it outlives
/// nettopo, as programs do). `init_binary` is nettopo-init, by a path the node sees. It ends when
/// every copy of the write end is closed. Throws SystemError when it cannot be started. The
/// caller must not be inside the node.
LogPipe start_log_writer(const ProcessRef& init, const std::string& node,
                         const std::filesystem::path& init_binary,
                         const std::filesystem::path& log);

/// Starts `command` as spawn_orphan_in_node (node_command.h) does, its stdout and stderr through
/// a new log writer appending to `log`: both from one visit to the node. Returns the program.
ProcessRef spawn_logged_orphan_in_node(const ProcessRef& init, const std::string& node,
                                       const std::filesystem::path& init_binary,
                                       CommandSpec command, const std::filesystem::path& log);

/// Makes `command`'s stdout and stderr the pipe's `write_end` (instead of an output_file).
void send_output_to(CommandSpec& command, const UniqueFd& write_end);

/// Waits until `writer` has ended, at most `timeout_ms`: then everything written into its pipe
/// before its last write end closed is in the log.
void wait_for_writer(const ProcessRef& writer, int timeout_ms);

/// The file beside `log` where its writer notes when each line began: "OFFSET SECONDS.NANOS".
std::filesystem::path log_times_path(const std::filesystem::path& log);

/// When a line was written: seconds and nanoseconds since the epoch, UTC.
struct LineTime {
  int64_t seconds = 0;
  int32_t nanoseconds = 0;
};

/// The times of a log's lines, by the offset in the log where each begins.
struct LogTimes {
  std::map<uint64_t, LineTime> by_offset;
  uint64_t read = 0;  ///< how much of the times file has been read
};

/// Adds to `times` what `log`'s times file gained since the last call (complete entries only).
/// A line has no time when its writer did not write it (output from before log writers
/// existed, or appended to the log by something else).
void read_log_times(const std::filesystem::path& log, LogTimes& times);

/// "2026-11-30T00:55:12.123Z".
std::string format_line_time(const LineTime& time);

}  // namespace nettopo
