// nettopo-init: PID 1 of a node (or the holder of a bridge's network namespace).
//
// nettopo clones this process into the node's new namespaces and execs it at once. It finishes
// the node's setup from the inside (mounts, hostname), reports on the readiness pipe, and then
// only waits: it reaps orphans, forwards a stop request to everything in the node, and exits.
//
//   nettopo-init --lab LAB --node NAME --index N --ready-fd FD [--grace-ms MS] [--hostname NAME]
//                [--etc-hostname] [--proc] [--sys] [--forget-nsfs] [--exit-log FILE]
//                [--bind SRC DST]... [--bind-ro SRC DST]... [--mounts FILE]
//
// --etc-hostname puts a read-only file holding NAME on /etc/hostname, made in the node (below).
// --bind and --bind-ro are for nettopo's own few mounts (/etc/hosts); a node's
// dirs and files, any number of them, come in FILE: "bind" or "bind-ro", source, target, each
// ended by a NUL byte (node_mounts.h writes it). They are mounted after the --bind ones.
//
// With --exit-log, every process the init reaps (but log writers, below) is appended to FILE as a
// line "exit PID START_TIME STATUS" (PID as the node sees it, START_TIME field 22 of
// /proc/PID/stat, STATUS shell-style: the exit code or 128 + signal), so `status` can say how a
// program ended.
//
// nettopo does not exec this once per node: it starts one zygote,
//
//   nettopo-init --zygote --lab LAB --request-fd FD --ready-fd FD [--forget-nsfs]
//
// which reads SpawnRequests (spawn_protocol.h) and forks each node's init from itself, so that
// no node pays for an exec and all of them share the zygote's few pages. With --forget-nsfs the
// zygote first moves to a mount namespace of its own without nsfs mounts, which each node copies.
//
// A program's output reaches its log through a log writer, the same binary in a third mode:
//
//   nettopo-init --log-writer FILE
//
// copies its stdin (a pipe from the program) to FILE byte for byte and, for every line that
// begins, appends "OFFSET SECONDS.NANOSECONDS" (UTC) to FILE.times: when the line's first byte
// reached the pipe, so that `logs --timestamps` says when a line was written, not read. It runs
// in the node, a child of the node's init, and ends when the last writer closes the pipe.
//
// Built static, without exceptions or the C++ library: an idle node costs a few pages.
// Nothing here allocates; errors go to the parent as a ReadyRecord, then the init exits.

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/init/ready_record.h"
#include "core/init/spawn_protocol.h"
#include "core/netns_names.h"
#include "core/sys/read_fully.h"

namespace {

using nettopo::read_fully;

// nettopo's own bind mounts, given as arguments; a node's dirs and files come in --mounts.
constexpr int kMaxBinds = 8;

struct Bind {
  const char* source;
  const char* target;
  bool read_only;
};

struct Options {
  const char* hostname = nullptr;
  int ready_fd = -1;
  unsigned index = 0;
  long grace_ms =
      -1;  // after a stop request, wait for the node's processes this long; -1: no limit
  bool etc_hostname = false;
  bool mount_proc = false;
  bool mount_sys = false;
  bool forget_nsfs = false;
  bool zygote = false;
  int request_fd = -1;
  const char* exit_log = nullptr;
  Bind binds[kMaxBinds];
  int bind_count = 0;
  const char* mounts_file = nullptr;
};

Options options;

[[noreturn]] void fail(const char* what, int error) {
  nettopo::init::ReadyRecord record{};
  record.index = options.index;
  record.error = error ? error : EINVAL;
  strncpy(record.what, what, sizeof record.what - 1);
  if (options.ready_fd >= 0) (void)!write(options.ready_fd, &record, sizeof record);
  _exit(1);
}

void parse_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const char* key = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) fail("missing value for an argument", EINVAL);
      return argv[++i];
    };
    if (!strcmp(key, "--lab") || !strcmp(key, "--node") || !strcmp(key, "--token")) {
      value();  // only there so that `down` can recognise this process by its command line
    } else if (!strcmp(key, "--index")) {
      options.index = static_cast<unsigned>(atol(value()));
    } else if (!strcmp(key, "--ready-fd")) {
      options.ready_fd = atoi(value());
    } else if (!strcmp(key, "--grace-ms")) {
      options.grace_ms = atol(value());
    } else if (!strcmp(key, "--hostname")) {
      options.hostname = value();
    } else if (!strcmp(key, "--etc-hostname")) {
      options.etc_hostname = true;
    } else if (!strcmp(key, "--proc")) {
      options.mount_proc = true;
    } else if (!strcmp(key, "--sys")) {
      options.mount_sys = true;
    } else if (!strcmp(key, "--zygote")) {
      options.zygote = true;
    } else if (!strcmp(key, "--request-fd")) {
      options.request_fd = atoi(value());
    } else if (!strcmp(key, "--exit-log")) {
      options.exit_log = value();
    } else if (!strcmp(key, "--forget-nsfs")) {
      options.forget_nsfs = true;
    } else if (!strcmp(key, "--mounts")) {
      options.mounts_file = value();
    } else if (!strcmp(key, "--bind") || !strcmp(key, "--bind-ro")) {
      if (options.bind_count == kMaxBinds) fail("too many bind mounts", E2BIG);
      Bind& bind = options.binds[options.bind_count++];
      bind.read_only = !strcmp(key, "--bind-ro");
      bind.source = value();
      bind.target = value();
    } else {
      fail("unknown argument", EINVAL);
    }
  }
}

// Mount points in /proc/self/mountinfo escape space, tab, newline and backslash as \ooo.
void unescape(char* text) {
  char* out = text;
  for (char* in = text; *in; ++in) {
    if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' && in[2] && in[3]) {
      *out++ = static_cast<char>((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
      in += 3;
    } else {
      *out++ = *in;
    }
  }
  *out = '\0';
}

// A line of mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE ...".
// Unmounts it when it holds network namespaces: an nsfs mount, or a lab's tmpfs of them.
void forget_if_it_holds_namespaces(char* line) {
  char* fields[5] = {};
  char* cursor = line;
  for (int i = 0; i < 5; ++i) {
    fields[i] = cursor;
    cursor = strchr(cursor, ' ');
    if (!cursor) return;
    *cursor++ = '\0';
  }
  char* separator = strstr(cursor, " - ");
  if (!separator) return;
  const char* type_and_source = separator + 3;
  // A lab's tmpfs of namespace names goes whole, with every nsfs mount on it, in one unmount.
  const char* lab_names = nettopo::kNetnsTmpfsSource;
  size_t lab_names_length = strlen(lab_names);
  bool nsfs = strncmp(type_and_source, "nsfs ", 5) == 0;
  bool names = strncmp(type_and_source, "tmpfs ", 6) == 0 &&
               strncmp(type_and_source + 6, lab_names, lab_names_length) == 0 &&
               type_and_source[6 + lab_names_length] == ' ';
  if (!nsfs && !names) return;
  unescape(fields[4]);
  umount2(fields[4], MNT_DETACH);
}

// The node's mount namespace starts as a copy of the host's, including the bind mounts that
// name other network namespaces (/run/netns/*, other labs' nodes). A copy would keep those
// namespaces alive after their owners delete them, so the node lets go of every one.
void forget_namespace_mounts() {
  int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open /proc/self/mountinfo", errno);
  static char buffer[1 << 16];
  size_t used = 0;
  for (;;) {
    ssize_t got = read(fd, buffer + used, sizeof buffer - 1 - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail("read /proc/self/mountinfo", errno);
    used += static_cast<size_t>(got);
    buffer[used] = '\0';
    char* line = buffer;
    while (char* end = strchr(line, '\n')) {
      *end = '\0';
      forget_if_it_holds_namespaces(line);
      line = end + 1;
    }
    size_t rest = used - static_cast<size_t>(line - buffer);
    memmove(buffer, line, rest);
    used = rest;
    if (got == 0 || used == sizeof buffer - 1) break;
  }
  close(fd);
}

void bind_mount(const char* source, const char* target, bool read_only) {
  if (mount(source, target, nullptr, MS_BIND, nullptr) != 0) fail(target, errno);
  if (read_only && mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
    fail(target, errno);
}

// The --mounts file, mapped whole: no allocation and no limit on how many mounts it holds.
struct MountList {
  char* data = nullptr;
  size_t size = 0;
};

MountList map_mount_list() {
  MountList list;
  if (!options.mounts_file) return list;
  int fd = open(options.mounts_file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open the node's mount list", errno);
  struct stat info {};
  if (fstat(fd, &info) != 0) fail("read the node's mount list", errno);
  list.size = static_cast<size_t>(info.st_size);
  if (list.size > 0) {
    void* data = mmap(nullptr, list.size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) fail("read the node's mount list", errno);
    list.data = static_cast<char*>(data);
    if (list.data[list.size - 1] != '\0') fail("the node's mount list is cut short", EINVAL);
  }
  close(fd);
  return list;
}

// Mounts each "bind"/"bind-ro" SOURCE TARGET record of the list, in order.
void mount_list(const MountList& list) {
  const char* end = list.data + list.size;
  for (const char* at = list.data; at < end;) {
    const char* kind = at;
    const char* source = kind + strlen(kind) + 1;
    if (source >= end) fail("the node's mount list is cut short", EINVAL);
    const char* target = source + strlen(source) + 1;
    if (target >= end) fail("the node's mount list is cut short", EINVAL);
    at = target + strlen(target) + 1;
    bool read_only = !strcmp(kind, "bind-ro");
    if (!read_only && strcmp(kind, "bind") != 0) fail("unknown entry in the mount list", EINVAL);
    bind_mount(source, target, read_only);
  }
  if (list.data) munmap(list.data, list.size);
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t done = write(fd, data, size);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    data += done;
    size -= static_cast<size_t>(done);
  }
  return true;
}

// The node's /etc/hostname: a file on a small tmpfs of the node's own, mounted for a moment over
// /proc (there on every system; the node's own procfs is mounted there next) and detached once the
// file is bound. Nothing is written to the host's file systems, and the tmpfs ends with the node.
// It was a file per node in the runtime directory: on a host whose /run is ext4, creating and
// removing thousands of them was a measurable part of `up` and `down`.
void mount_etc_hostname() {
  if (!options.hostname) fail("--etc-hostname without --hostname", EINVAL);
  if (mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755") != 0)
    fail("mount a tmpfs for /etc/hostname", errno);
  int fd = open("/proc/hostname", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) fail("create the node's /etc/hostname", errno);
  if (!write_all(fd, options.hostname, strlen(options.hostname)) || !write_all(fd, "\n", 1))
    fail("write the node's /etc/hostname", errno);
  close(fd);
  bind_mount("/proc/hostname", "/etc/hostname", true);
  if (umount2("/proc", MNT_DETACH) != 0) fail("unmount the tmpfs of /etc/hostname", errno);
}

void set_up_mounts() {
  if (!options.mount_proc && !options.mount_sys && options.bind_count == 0 &&
      !options.forget_nsfs && !options.mounts_file && !options.etc_hostname) {
    return;
  }
  // Read before anything is mounted over the path it is on.
  MountList list = map_mount_list();
  // Private: nothing the node mounts reaches the host, and nothing the host mounts later reaches
  // the node. A slave would receive every later mount of a shared host tree (systemd makes /
  // shared, `ip netns add` makes /run/netns shared): each /run/netns name of this lab and of later
  // labs would be copied into every node, n^2 mounts for a lab of n nodes, each copy keeping
  // another node's network namespace alive.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    fail("make the node's mounts private", errno);
  if (options.etc_hostname) mount_etc_hostname();
  if (options.mount_proc &&
      mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    fail("mount proc on /proc", errno);
  if (options.mount_sys &&
      mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    fail("mount sysfs on /sys", errno);
  if (options.forget_nsfs) forget_namespace_mounts();
  for (int i = 0; i < options.bind_count; ++i) {
    const Bind& bind = options.binds[i];
    bind_mount(bind.source, bind.target, bind.read_only);
  }
  mount_list(list);
}

void report_ready() {
  nettopo::init::ReadyRecord record{};
  record.index = options.index;
  if (write(options.ready_fd, &record, sizeof record) != sizeof record) _exit(1);
  close(options.ready_fd);
  options.ready_fd = -1;
}

void ignore_signal(int) {}

long now_ms() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// Appends the decimal digits of `value` to `out`; returns the new end.
char* put_number(char* out, unsigned long long value) {
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) *out++ = digits[--count];
  return out;
}

// The name a log writer gives itself (prctl PR_SET_NAME), so that the init leaves its end out of
// the exit log: that log names processes by start time, and a program and its writer, started
// together, usually share one.
constexpr char kLogWriterName[] = "nettopo-log";

// Field 22 of /proc/PID/stat (the start time in clock ticks since boot), read while the process
// is still a zombie; 0 when it cannot be read. The command name in field 2 may hold spaces and
// parentheses: the fields after it start after its last ')'. `log_writer` says whether the
// name is kLogWriterName.
unsigned long long start_time_of(pid_t pid, bool& log_writer) {
  log_writer = false;
  char path[40] = "/proc/";
  *put_number(path + 6, static_cast<unsigned long long>(pid)) = '\0';
  strcat(path, "/stat");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  static char buffer[1024];
  ssize_t got = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  if (got <= 0) return 0;
  buffer[got] = '\0';
  char* cursor = strrchr(buffer, ')');
  if (!cursor) return 0;
  const char* name = strchr(buffer, '(');
  log_writer = name && static_cast<size_t>(cursor - name - 1) == strlen(kLogWriterName) &&
               !strncmp(name + 1, kLogWriterName, strlen(kLogWriterName));
  // After ")" come field 3 (state) .. field 22: the space before field 22 is the 20th.
  for (int field = 3; field <= 22 && cursor; ++field) cursor = strchr(cursor + 1, ' ');
  return cursor ? strtoull(cursor + 1, nullptr, 10) : 0;
}

// Appends "exit PID START STATUS" to the exit log with one write(2), so lines never interleave.
void record_exit(pid_t pid, unsigned long long start_time, int status) {
  static int log_fd = -1;
  if (log_fd < 0) {
    log_fd = open(options.exit_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (log_fd < 0) return;  // status then says "exited" without a status: nothing worse
  }
  int code =
      WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1);
  char line[96] = "exit ";
  char* end = put_number(line + 5, static_cast<unsigned long long>(pid));
  *end++ = ' ';
  end = put_number(end, start_time);
  *end++ = ' ';
  end = put_number(end, static_cast<unsigned long long>(code));
  *end++ = '\n';
  (void)!write(log_fd, line, static_cast<size_t>(end - line));
}

// --log-writer (see the top of the file). Its output is the program's: nothing is dropped for a
// failure of the times file, and a stop request is not a reason to lose what is still in the
// pipe (the node's end kills it with everything else).
[[noreturn]] void run_log_writer(const char* path) {
  prctl(PR_SET_NAME, kLogWriterName);
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  static char times_path[4096];
  size_t length = strlen(path);
  if (length + sizeof ".times" > sizeof times_path) _exit(2);
  strcpy(times_path, path);
  strcat(times_path, ".times");
  int log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (log_fd < 0) _exit(1);
  int times_fd = open(times_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  // A line begins at the next byte unless the file ends inside one.
  bool line_start = true;
  struct stat before {};
  if (fstat(log_fd, &before) == 0 && before.st_size > 0) {
    char last = '\n';
    int reader = open(path, O_RDONLY | O_CLOEXEC);
    if (reader >= 0 && pread(reader, &last, 1, before.st_size - 1) == 1) line_start = last == '\n';
    if (reader >= 0) close(reader);
  }
  static char data[65536];
  static char times[8192];
  constexpr size_t kLongestEntry = 64;  // two numbers, a dot, a space and a newline
  for (;;) {
    ssize_t got = read(0, data, sizeof data);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) _exit(got == 0 ? 0 : 1);
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    // The offset where this chunk lands: the file's end, also when someone else appended to it.
    unsigned long long offset = 0;
    if (fstat(log_fd, &before) == 0) offset = static_cast<unsigned long long>(before.st_size);
    size_t used = 0;
    for (ssize_t i = 0; i < got && times_fd >= 0; ++i) {
      if (line_start) {
        if (used + kLongestEntry > sizeof times) {
          write_all(times_fd, times, used);
          used = 0;
        }
        char* end = put_number(times + used, offset + static_cast<unsigned long long>(i));
        *end++ = ' ';
        end = put_number(end, static_cast<unsigned long long>(now.tv_sec));
        *end++ = '.';
        char nanoseconds[9];
        long rest = now.tv_nsec;
        for (int digit = 8; digit >= 0; --digit, rest /= 10)
          nanoseconds[digit] = static_cast<char>('0' + rest % 10);
        memcpy(end, nanoseconds, sizeof nanoseconds);
        end += sizeof nanoseconds;
        *end++ = '\n';
        used = static_cast<size_t>(end - times);
      }
      line_start = data[i] == '\n';
    }
    // The times first: a reader may then meet a time whose line is not there yet, which it
    // ignores, but never a line whose time is still to come.
    if (used > 0) write_all(times_fd, times, used);
    if (!write_all(log_fd, data, static_cast<size_t>(got))) _exit(1);
  }
}

// Reaps every exited child; returns true when none is left.
bool reap_children() {
  for (;;) {
    unsigned long long start_time = 0;
    bool log_writer = false;
    pid_t which = -1;
    if (options.exit_log) {
      // Look before reaping (and then reap that one): once reaped, /proc/PID no longer says
      // when the process started.
      siginfo_t info{};
      if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid > 0) {
        which = info.si_pid;
        start_time = start_time_of(which, log_writer);
      }
    }
    int status = 0;
    pid_t pid = waitpid(which, &status, WNOHANG);
    if (pid > 0) {
      if (options.exit_log && !log_writer) record_exit(pid, start_time, status);
      continue;
    }
    return pid < 0 && errno == ECHILD;
  }
}

// From PID 1: sends `signal_number` to every other process of the node. kill(-1) says the same,
// but the kernel carries it out as a walk over every process of the host (for_each_process in
// kill_something_info): 4000 inits stopping together made that 16 million steps under the
// tasklist lock, the largest term of `down`. The node's own /proc lists only its PID namespace.
// A process forked after the listing gets no SIGTERM; the kernel kills it when this init exits.
void signal_node_processes(int signal_number) {
  int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) {
    kill(-1, signal_number);
    return;
  }
  alignas(dirent64) char buffer[8192];
  for (;;) {
    ssize_t got = getdents64(proc, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    for (ssize_t at = 0; at < got;) {
      const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
      at += entry->d_reclen;
      long pid = 0;
      const char* digit = entry->d_name;
      for (; *digit >= '0' && *digit <= '9'; ++digit) pid = pid * 10 + (*digit - '0');
      if (*digit == '\0' && pid > 1) kill(static_cast<pid_t>(pid), signal_number);
    }
  }
  close(proc);
}

[[noreturn]] void serve() {
  // Signals are blocked and taken with sigtimedwait. The empty handlers matter too: the kernel
  // drops signals sent from outside a PID namespace to its init when they have no handler.
  sigset_t wanted;
  sigemptyset(&wanted);
  static const int kSignals[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  for (int signal_number : kSignals) {
    sigaddset(&wanted, signal_number);
    if (signal_number != SIGCHLD) {
      struct sigaction action {};
      action.sa_handler = ignore_signal;
      sigaction(signal_number, &action, nullptr);
    }
  }
  sigprocmask(SIG_BLOCK, &wanted, nullptr);

  bool stopping = false;
  long deadline = 0;
  for (;;) {
    int got;
    if (!stopping || options.grace_ms < 0) {
      // Without a limit of its own, the init waits for its node's processes as long as they
      // take; `down` decides when that is too long and sends SIGKILL.
      got = sigwaitinfo(&wanted, nullptr);
    } else {
      long left = deadline - now_ms();
      if (left <= 0) _exit(0);  // the kernel kills whatever is left in the node
      timespec wait{left / 1000, (left % 1000) * 1000000};
      got = sigtimedwait(&wanted, nullptr, &wait);
      if (got < 0 && errno == EAGAIN) _exit(0);
    }
    if (got < 0) continue;
    if (got != SIGCHLD && !stopping) {
      stopping = true;
      deadline = now_ms() + options.grace_ms;
      // Only PID 1 owns a PID namespace: a bridge's holder shares the host's, and must never
      // signal anything.
      if (getpid() == 1) signal_node_processes(SIGTERM);
    }
    bool none_left = reap_children();
    if (stopping && none_left) _exit(0);
  }
}

[[noreturn]] void run_node(int argc, char** argv) {
  parse_arguments(argc, argv);
  if (options.ready_fd < 0) fail("no --ready-fd given", EINVAL);
  setsid();  // out of the caller's session: a ^C on nettopo's terminal must not reach the node
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) fail("open /dev/null", errno);
  for (int fd = 0; fd <= 2; ++fd) dup2(null_fd, fd);
  close(null_fd);
  set_up_mounts();
  if (options.hostname && sethostname(options.hostname, strlen(options.hostname)) != 0)
    fail("set the hostname", errno);
  report_ready();
  serve();
}

char* argument_area = nullptr;  // the zygote's own argv strings, contiguous, as exec laid them out
size_t argument_area_size = 0;

// The zygote's --token, copied out of its argument area, which retitle() overwrites.
char token[64] = "";

// A forked init still shows the zygote's command line in ps. Rewrite it in place (the way
// servers set their process titles) to "nettopo-init --lab LAB --node NAME --token TOKEN", when
// it fits; `down` relies on the "--lab LAB" and "--token TOKEN" pairs either way.
void retitle(const char* lab, const char* node) {
  if (!lab || !node) return;
  const char* parts[] = {"nettopo-init", "--lab", lab, "--node", node, "--token", token};
  size_t needed = 0;
  for (const char* part : parts) needed += strlen(part) + 1;
  if (needed > argument_area_size) return;
  char* cursor = argument_area;
  for (const char* part : parts) {
    size_t length = strlen(part) + 1;
    memcpy(cursor, part, length);
    cursor += length;
  }
  memset(cursor, 0, argument_area_size - needed);
}

const char* value_after(int argc, char** argv, const char* key) {
  for (int i = 0; i + 1 < argc; ++i)
    if (!strcmp(argv[i], key)) return argv[i + 1];
  return nullptr;
}

// Serves SpawnRequests until nettopo closes its end, then exits: the inits it made live on.
[[noreturn]] void run_zygote() {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive an `up` that was killed
  // Every node's mount namespace is a copy of the zygote's. Clean it once here instead of in each
  // node: with another 1000-node lab up, each node would otherwise unmount 1000 nsfs copies.
  if (options.forget_nsfs) {
    if (unshare(CLONE_NEWNS) != 0) fail("zygote: unshare its mount namespace", errno);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      fail("zygote: make its mounts private", errno);
    // `ip netns add` makes /run/netns a bind mount of itself in the peer group of /run, so each
    // name may also be mounted, hidden, under that bind mount, out of reach of any path. Taking
    // the whole /run/netns stack away uncovers them; then the loop below can reach every one.
    while (umount2("/run/netns", MNT_DETACH) == 0) {
    }
    forget_namespace_mounts();
  }
  static char buffer[nettopo::init::kMaxSpawnRequest];
  static char* arguments[2 * kMaxBinds + 64];
  constexpr int kMaxArguments = static_cast<int>(sizeof arguments / sizeof *arguments) - 1;
  int ready_fd = options.ready_fd;
  int request_fd = options.request_fd;
  nettopo::init::SpawnRequest request{};
  while (read_fully(request_fd, &request, sizeof request)) {
    size_t body = request.size - sizeof request;
    if (request.size < sizeof request || request.size > sizeof buffer) _exit(2);
    if (!read_fully(request_fd, buffer, body)) _exit(2);
    buffer[body ? body - 1 : 0] = '\0';
    int count = 0;
    bool too_many = false;
    arguments[count++] = const_cast<char*>("nettopo-init");
    for (size_t at = 0; at < body; at += strlen(buffer + at) + 1) {
      if (count == kMaxArguments) {
        too_many = true;  // refused below, never cut short
        break;
      }
      arguments[count++] = buffer + at;
    }
    arguments[count] = nullptr;
    if (too_many) {
      nettopo::init::SpawnReply reply{request.index, -E2BIG};
      if (write(request_fd, &reply, sizeof reply) != sizeof reply) _exit(2);
      continue;
    }
    // A fork into new namespaces: the child shares every page it does not write with the zygote.
    long pid =
        syscall(SYS_clone, static_cast<unsigned long>(request.clone_flags) | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
      close(request_fd);
      prctl(PR_SET_PDEATHSIG, 0);
      int inherited_ready_fd = options.ready_fd;
      options = Options{};
      options.ready_fd = inherited_ready_fd;
      retitle(value_after(count, arguments, "--lab"), value_after(count, arguments, "--node"));
      run_node(count, arguments);
    }
    nettopo::init::SpawnReply reply{request.index, pid < 0 ? -errno : static_cast<int32_t>(pid)};
    if (write(request_fd, &reply, sizeof reply) != sizeof reply) _exit(2);
  }
  close(ready_fd);
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && !strcmp(argv[1], "--log-writer")) run_log_writer(argv[2]);
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--zygote")) {
      argument_area = argv[0];
      if (const char* given = value_after(argc, argv, "--token"))
        strncpy(token, given, sizeof token - 1);
      argument_area_size =
          static_cast<size_t>(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
      parse_arguments(argc, argv);
      if (options.request_fd < 0 || options.ready_fd < 0) _exit(2);
      run_zygote();
    }
  }
  run_node(argc, argv);
}
