#pragma once

// A running lab as an object: bring it up, run commands in its nodes, change its links, run its
// checks, take it down. The same core functions as the nettopo command, so one path to the
// kernel. Documented, with a complete example, in docs/api.md.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nettopo/error.h"
#include "nettopo/lab_file.h"

// Where the installed package put nettopo-init: find_package(nettopo) and pkg-config define it
// for the programs they build, since such a program lives neither beside nettopo-init nor in a
// bin/ next to libexec/.
#ifndef NETTOPO_PACKAGED_INIT
#define NETTOPO_PACKAGED_INIT ""
#endif

namespace nettopo::api {

struct UpOptions {
  /// nettopo-init, PID 1 of every node. Empty: found as the nettopo command finds it
  /// ($NETTOPO_INIT, beside the running executable, ../libexec/nettopo from it), else at
  /// `packaged_init`.
  std::filesystem::path init_binary;
  /// Where the installed package put nettopo-init (tried last); set for you by the build.
  std::filesystem::path packaged_init = NETTOPO_PACKAGED_INIT;
  /// How long a node's programs get after SIGTERM before SIGKILL, when the lab comes down.
  std::chrono::milliseconds grace{2000};
  /// How long the nodes get to report that they are ready.
  std::chrono::milliseconds ready_timeout{60000};
};

/// What a command run with Lab::exec() did.
struct ExecResult {
  int status = -1;         ///< exit code, or 128 + the signal that ended it (shell style)
  std::string out;         ///< all it wrote to stdout
  std::string err;         ///< all it wrote to stderr
  bool timed_out = false;  ///< killed at ExecOptions::timeout (status is then 137)
  bool ok() const { return status == 0; }
};

struct ExecOptions {
  /// Killed (SIGKILL) after this long; zero: no limit. What it started in the background
  /// lives on until the lab comes down, as after `nettopo exec`.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  /// Give the command the caller's environment under the node's (as `nettopo exec` does);
  /// by default it gets only the node's (PATH, HOME, TERM, NETTOPO_LAB, NETTOPO_NODE, `env`).
  bool inherit_environment = false;
};

/// A change to one end of a link, as `nettopo link set` makes it. Unset fields stay as they
/// are; values are written as in a lab file ("10mbit", "20ms", "5%"); "none" removes one.
struct LinkChange {
  // Every member has an initializer, so that {.up = false} leaves the others unset without a
  // -Wmissing-field-initializers warning.
  std::optional<bool> up{};  ///< the interface down (false) or up (true)
  std::optional<std::string> rate{}, delay{}, jitter{}, loss{};
  bool blackhole = false;  ///< drop every packet silently; the carrier stays up
  bool clear = false;      ///< back to the lab file's values (before the other fields)
  bool one_way = false;    ///< impair only what this end sends (default: both directions)
};

/// One [[checks]] entry on one of its nodes.
struct CheckResult {
  std::string check;  ///< its name
  std::string node;
  bool passed = false;
  double seconds = 0;  ///< time to pass (a measurement), or until it was given up
  int attempts = 0;
  std::optional<int> exit_status;  ///< of the last attempt; nullopt when it was killed
  std::string failure;             ///< why it failed: "exit status 1", "timed out after 5 s"
  std::string output;              ///< output of the last attempt (its last 64 KiB)
  std::string summary;             ///< the line `nettopo check` prints for it
};

struct CheckReport {
  std::vector<CheckResult> runs;  ///< in the order of the lab file
  /// Every run passed (true for a lab without checks).
  bool passed() const;
  /// The lines `nettopo check` prints, one per run: for an assertion's message.
  std::string describe() const;
};

/// A lab brought up by this process, taken down by its destructor: a test that fails or
/// throws leaves nothing behind. Move-only. Needs root, like the nettopo command. Methods that
/// enter a node (exec, sh, check) must be called from a single-threaded process (setns(2) into
/// a mount namespace demands it), which a GoogleTest binary is.
class Lab {
 public:
  /// Brings `file` up as `nettopo up` does, under file.name() (rename with
  /// LabFile::with_name). Returns once the lab runs. Throws Error, after removing whatever it
  /// had made: exit code 2 when not root or a lab of that name is already up, 1 when a step
  /// failed (its message names the node and the step).
  static Lab up(const LabFile& file, const UpOptions& options = {});

  /// Takes the lab down (down() unless already done). Never throws: a failure is logged as a
  /// warning through spdlog and teardown goes on.
  ~Lab();
  Lab(Lab&& other) noexcept;
  Lab& operator=(Lab&& other) noexcept;  ///< takes this lab down first
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  const std::string& name() const;
  const LabFile& file() const;
  bool is_up() const;

  /// Runs `argv` (no shell; argv[0] searched in the node's PATH) in node `node`, or in a
  /// bridge's network namespace, with stdin from /dev/null, and waits for it. A command that
  /// cannot be started is a result, as in a shell: status 127 (not found) or 126, with the
  /// reason in `err`. Background jobs it leaves run on until down. Throws Error: exit code 2
  /// for an unknown node or a lab that is down, 1 when the node's init is gone.
  ExecResult exec(const std::string& node, const std::vector<std::string>& argv,
                  const ExecOptions& options = {}) const;
  /// exec(node, {"/bin/sh", "-c", line}).
  ExecResult sh(const std::string& node, const std::string& line,
                const ExecOptions& options = {}) const;

  /// Changes `endpoint`, "NODE:IF" (or "BRIDGE:PORT"), as `nettopo link set` does. Throws Error:
  /// exit code 2 for an unknown endpoint or a malformed value, 1 when the kernel refuses.
  void set_link(std::string_view endpoint, const LinkChange& change);

  /// Runs the lab file's [[checks]] (those that run when the lab comes up) as `nettopo check`
  /// does: all at once, each retried until it passes or its `within` is over. A failed check is
  /// a result; throws Error only when a check cannot be started, or the lab is down.
  CheckReport check() const;

  /// Takes the lab down as `nettopo down` does and waits until it is gone. Idempotent. Throws
  /// Error only when another nettopo holds the lab's lock for more than 30 s.
  void down();

 private:
  struct State;
  explicit Lab(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// A lab name no other test, test process or concurrent run uses: `base` cut short and made a
/// valid lab name, then "-PID-N" with N counting up in this process ("ospf-4711-1"). At most 24
/// characters, to leave room for node names in /run/netns names.
std::string unique_lab_name(std::string_view base);

}  // namespace nettopo::api
