#include "core/init_spawner.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include "core/init/ready_record.h"
#include "core/init/spawn_protocol.h"
#include "core/sys/error.h"
#include "core/sys/read_fully.h"

namespace nettopo {
namespace {

constexpr size_t kMaxOutstanding = 64;
// The zygote's ends land on these fds (its argv names them).
constexpr int kZygoteRequestFd = 3;
constexpr int kZygoteReadyFd = 4;

void write_fully(int fd, const void* data, size_t size, const char* what) {
  const char* cursor = static_cast<const char*>(data);
  while (size > 0) {
    // MSG_NOSIGNAL: a zygote that died is an error to report, not a SIGPIPE to take for the
    // user's closed output pipe.
    ssize_t put = ::send(fd, cursor, size, MSG_NOSIGNAL);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) throw SystemError(what, "nettopo-init zygote");
    cursor += put;
    size -= static_cast<size_t>(put);
  }
}

}  // namespace

std::filesystem::path find_init_binary(const std::filesystem::path& last_resort) {
  if (const char* configured = std::getenv("NETTOPO_INIT"); configured && *configured)
    return configured;
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  auto beside = self.parent_path() / "nettopo-init";
  if (!error && std::filesystem::exists(beside, error)) return beside;
  auto installed = self.parent_path().parent_path() / "libexec" / "nettopo" / "nettopo-init";
  if (!error && std::filesystem::exists(installed, error)) return installed;
  if (!last_resort.empty() && std::filesystem::exists(last_resort, error)) return last_resort;
  throw Error("cannot find nettopo-init beside " + self.string() +
              (last_resort.empty() ? "" : " nor at " + last_resort.string()) +
              " (set NETTOPO_INIT)");
}

InitSpawner::InitSpawner(const std::filesystem::path& init_binary, const std::string& lab,
                         const std::string& token, SpawnedCallback on_spawned)
    : on_spawned_(std::move(on_spawned)) {
  // Every end is owned the moment it exists, so a failure anywhere below closes them all.
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw SystemError("create socketpair", "for nettopo-init");
  requests_.reset(pair[0]);
  UniqueFd zygote_requests(pair[1]);
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) throw SystemError("create pipe", "for nettopo-init");
  ready_.reset(ready[0]);
  UniqueFd zygote_ready(ready[1]);

  CommandSpec command;
  // --forget-nsfs: the zygote cleans the mount namespace every node copies (node_init.cc).
  command.argv = {init_binary.string(),
                  "--zygote",
                  "--lab",
                  lab,
                  "--token",
                  token,
                  "--request-fd",
                  std::to_string(kZygoteRequestFd),
                  "--ready-fd",
                  std::to_string(kZygoteReadyFd),
                  "--forget-nsfs"};
  command.null_stdin = true;
  command.null_stdout = true;
  command.pass_fds = {{zygote_requests.get(), kZygoteRequestFd},
                      {zygote_ready.get(), kZygoteReadyFd}};
  zygote_ = nettopo::spawn(command);
}

InitSpawner::~InitSpawner() { stop_zygote(); }

void InitSpawner::stop_zygote() {
  requests_.reset();  // the zygote exits on end of file
  if (!zygote_.running()) return;
  try {
    zygote_.wait();
  } catch (const std::exception&) {
    // The ChildProcess destructor kills and reaps it instead.
  }
}

void InitSpawner::spawn(const InitRequest& request) {
  std::string body;
  for (const auto& argument : request.arguments) {
    body += argument;
    body.push_back('\0');
  }
  init::SpawnRequest header{};
  header.size = static_cast<uint32_t>(sizeof header + body.size());
  header.index = request.index;
  header.clone_flags = static_cast<uint32_t>(request.clone_flags);
  header.argument_count = static_cast<uint32_t>(request.arguments.size());
  if (header.size > init::kMaxSpawnRequest)
    throw Error("node init arguments too long (" + std::to_string(header.size) + " bytes)");
  std::string message(reinterpret_cast<const char*>(&header), sizeof header);
  message += body;
  write_fully(requests_.get(), message.data(), message.size(), "send request to");
  ++outstanding_;
  if (outstanding_ >= kMaxOutstanding) read_answer();
}

void InitSpawner::read_answer() {
  init::SpawnReply reply{};
  if (!read_fully(requests_.get(), &reply, sizeof reply))
    throw Error("nettopo-init zygote exited unexpectedly");
  --outstanding_;
  if (reply.pid < 0) throw SystemError("clone", "node init into new namespaces", -reply.pid);
  on_spawned_(reply.index, reply.pid);
}

void InitSpawner::finish() {
  while (outstanding_ > 0) read_answer();
  stop_zygote();
}

void InitSpawner::wait_ready(size_t count, std::chrono::milliseconds timeout,
                             const std::function<std::string(uint32_t)>& name_of) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t ready = 0;
  while (ready < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw Error("node inits did not finish their setup in time (" + std::to_string(ready) +
                  " of " + std::to_string(count) + " ready)");
    pollfd poll_fd{ready_.get(), POLLIN, 0};
    int polled = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;
    init::ReadyRecord record{};
    if (!read_fully(ready_.get(), &record, sizeof record))
      throw Error("a node init exited during its setup (" + std::to_string(ready) + " of " +
                  std::to_string(count) + " ready)");
    if (record.error != 0) {
      record.what[sizeof record.what - 1] = '\0';
      throw SystemError("node " + name_of(record.index) + ": init setup:", record.what,
                        record.error);
    }
    ++ready;
  }
}

}  // namespace nettopo
