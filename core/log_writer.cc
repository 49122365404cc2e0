#include "core/log_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>

#include "core/node_command.h"
#include "core/sys/error.h"

namespace nettopo {

namespace fs = std::filesystem;

namespace {

// A log's pipe, and the command of the writer that reads it.
struct WriterStart {
  UniqueFd read_end, write_end, null;
  CommandSpec command;
};

WriterStart writer_start(const fs::path& init_binary, const fs::path& log) {
  WriterStart start;
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) throw SystemError("create pipe", "for log " + log.string());
  start.read_end = UniqueFd(ends[0]);
  start.write_end = UniqueFd(ends[1]);
  // Not nettopo's stdout or stderr: a writer holding them would keep `nettopo up | cat` open.
  start.null = UniqueFd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  if (!start.null) throw SystemError("open", "/dev/null");
  start.command.argv = {init_binary.string(), "--log-writer", log.string()};
  start.command.new_session = true;
  start.command.pass_fds = {
      {start.read_end.get(), 0}, {start.null.get(), 1}, {start.null.get(), 2}};
  return start;
}

}  // namespace

LogPipe start_log_writer(const ProcessRef& init, const std::string& node,
                         const fs::path& init_binary, const fs::path& log) {
  WriterStart start = writer_start(init_binary, log);
  ProcessRef writer = spawn_orphan_in_node(init, node, start.command);
  return {std::move(start.write_end), writer};
}

ProcessRef spawn_logged_orphan_in_node(const ProcessRef& init, const std::string& node,
                                       const fs::path& init_binary, CommandSpec command,
                                       const fs::path& log) {
  WriterStart start = writer_start(init_binary, log);
  send_output_to(command, start.write_end);
  // The writer first: the program's first line finds it reading. Ours of the pipe close on
  // return, leaving the program the only writer, so the writer ends when the program does.
  return spawn_orphans_in_node(init, node, {start.command, command}).back();
}

void send_output_to(CommandSpec& command, const UniqueFd& write_end) {
  command.output_file.clear();
  command.null_stdout = false;
  command.pass_fds.emplace_back(write_end.get(), 1);
  command.pass_fds.emplace_back(write_end.get(), 2);
}

void wait_for_writer(const ProcessRef& writer, int timeout_ms) {
  if (writer.pid == 0) return;
  UniqueFd pidfd = writer.open_pidfd();
  if (!pidfd) return;  // gone already
  pollfd ready{pidfd.get(), POLLIN, 0};
  while (::poll(&ready, 1, timeout_ms) < 0 && errno == EINTR) {
  }
}

fs::path log_times_path(const fs::path& log) { return fs::path(log.string() + ".times"); }

void read_log_times(const fs::path& log, LogTimes& times) {
  std::ifstream file(log_times_path(log), std::ios::binary);
  if (!file) return;
  file.seekg(static_cast<std::streamoff>(times.read));
  std::string line;
  while (std::getline(file, line)) {
    if (file.eof()) break;  // no newline yet: the writer is still writing this entry
    times.read += line.size() + 1;
    unsigned long long offset = 0;
    long long seconds = 0;
    char fraction[16] = "";
    if (std::sscanf(line.c_str(), "%llu %lld.%9[0-9]", &offset, &seconds, fraction) != 3)
      continue;  // an entry cut short (a full disk): that line prints without a time
    std::string digits = std::string(fraction) + std::string(9 - std::strlen(fraction), '0');
    times.by_offset[offset] = {seconds, static_cast<int32_t>(std::stol(digits))};
  }
}

std::string format_line_time(const LineTime& time) {
  std::time_t seconds = static_cast<std::time_t>(time.seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char full[48];
  std::snprintf(full, sizeof full, "%s.%03dZ", text, time.nanoseconds / 1'000'000);
  return full;
}

}  // namespace nettopo
