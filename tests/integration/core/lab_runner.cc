#include "tests/integration/core/lab_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace nettopo::testing {
namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

CommandResult run(const std::vector<std::string>& argv) {
  std::string command;
  for (auto argument : argv) {
    for (size_t at; (at = argument.find("{nettopo}")) != std::string::npos;)
      argument.replace(at, 9, NETTOPO_BINARY);
    command += (command.empty() ? "" : " ") + shell_quote(argument);
  }
  command += " 2>&1 </dev/null";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, got);
  int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

CommandResult nettopo(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {NETTOPO_BINARY};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv);
}

std::string unique_lab_name(const std::string& tag) {
  return "t" + std::to_string(::getpid()) + tag;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

namespace {

// A process may end while its /proc files are read: the read then fails with ESRCH, which
// std::istreambuf_iterator reports by throwing. Such a process is simply gone.
std::string read_while_it_lasts(const fs::path& path) {
  try {
    std::ifstream file(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    return {};
  }
}

}  // namespace

std::vector<std::string> traces_of(const std::string& name) {
  std::vector<std::string> traces;
  std::error_code error;
  if (fs::exists("/run/nettopo/" + name, error)) traces.push_back("/run/nettopo/" + name);
  if (fs::exists("/run/nettopo/" + name + ".lock", error))
    traces.push_back("/run/nettopo/" + name + ".lock");
  for (const auto& entry : fs::directory_iterator("/run/netns", error))
    if (entry.path().filename().string().rfind(name + "-", 0) == 0)
      traces.push_back(entry.path().string());
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    std::string cmdline = read_while_it_lasts(entry.path() / "cmdline");
    if (cmdline.rfind("nettopo-init", 0) != 0 && cmdline.find("/nettopo-init") == std::string::npos)
      continue;
    if (cmdline.find(std::string("--lab") + '\0' + name + '\0') != std::string::npos)
      traces.push_back("process " + entry.path().filename().string());
  }
  std::ifstream mounts("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mounts, line))
    if (line.find("/run/netns/" + name + "-") != std::string::npos ||
        line.find("/run/nettopo/" + name + "/") != std::string::npos)
      traces.push_back("mount " + line);
  return traces;
}

}  // namespace nettopo::testing
