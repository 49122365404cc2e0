#include "core/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/runtime_dir.h"
#include "core/sys/error.h"

namespace nettopo {

Journal Journal::open(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd) throw SystemError("open journal", path.string());
  return Journal(std::move(fd));
}

void Journal::append(const std::string& line) {
  std::string record = line + "\n";
  // One write per record: a crash can tear at most the last line, which read() then skips.
  if (::write(fd_.get(), record.data(), record.size()) != static_cast<ssize_t>(record.size()))
    throw SystemError("write journal", "");
}

void Journal::record_start(const std::string& token, const ProcessRef& builder) {
  append("token " + token);
  append("up " + std::to_string(builder.pid) + " " + std::to_string(builder.start_time));
}

void Journal::record_init(const std::string& name, const ProcessRef& process) {
  append("init " + name + " " + std::to_string(process.pid) + " " +
         std::to_string(process.start_time));
}

void Journal::record_program(const std::string& node, int index, const ProcessRef& process) {
  append("program " + node + " " + std::to_string(index) + " " + std::to_string(process.pid) + " " +
         std::to_string(process.start_time));
}

void Journal::record_netns_dir(const std::string& path) { append("netnsdir " + path); }
void Journal::record_netns(const std::string& path) { append("netns " + path); }
void Journal::record_mkdir(const std::string& path) { append("mkdir " + path); }
void Journal::record_mkfile(const std::string& path) { append("mkfile " + path); }
void Journal::record_complete() { append("complete"); }

std::set<std::string> mount_points_of_other_labs(const std::string& lab) {
  std::set<std::string> paths;
  for (const auto& other : list_labs()) {
    if (other == lab) continue;
    JournalEntries entries = Journal::read(RuntimeDir(other).journal());
    paths.insert(entries.created_dirs.begin(), entries.created_dirs.end());
    paths.insert(entries.created_files.begin(), entries.created_files.end());
  }
  return paths;
}

JournalEntries Journal::read(const std::filesystem::path& path) {
  JournalEntries entries;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    if (file.eof()) break;  // no newline: the line was torn by a crash
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    auto rest = [&] {
      std::string text;
      std::getline(fields >> std::ws, text);
      return text;
    };
    if (kind == "token") {
      fields >> entries.token;
    } else if (kind == "up") {
      ProcessRef builder;
      if (fields >> builder.pid >> builder.start_time) entries.builder = builder;
    } else if (kind == "init") {
      JournalEntries::Init init;
      if (fields >> init.name >> init.process.pid >> init.process.start_time)
        entries.inits.push_back(init);
    } else if (kind == "program") {
      JournalEntries::Program program;
      if (fields >> program.node >> program.index >> program.process.pid >>
          program.process.start_time)
        entries.programs.push_back(program);
    } else if (kind == "netnsdir") {
      entries.netns_dir = rest();
    } else if (kind == "netns") {
      entries.netns_links.push_back(rest());
    } else if (kind == "mkdir") {
      entries.created_dirs.push_back(rest());
    } else if (kind == "mkfile") {
      entries.created_files.push_back(rest());
    } else if (kind == "complete") {
      entries.complete = true;
    }
  }
  return entries;
}

}  // namespace nettopo
