#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/process_ref.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// What a lab owns on the host, written down *before* each thing is made (or, for processes,
/// the moment their PID is known), one line per record, appended with a single write(2) each.
/// `down` reads it back to undo everything, also after an `up` that was killed halfway.
///
///   token HEX                       the lab's token (make_lab_token), which its inits carry
///   up PID START_TIME               the `up` that builds the lab
///   init NAME PID START_TIME        a node's or bridge's init
///   program NODE INDEX PID START    a `run` program
///   netnsdir PATH                   the tmpfs holding the lab's network namespace bind mounts
///   netns PATH                      a /run/netns symbolic link to one of them
///   mkdir PATH                      a mount point nettopo created on the host (written right
///                                   after mkdir said it made it: host_paths.h)
///   mkfile PATH                     an empty file nettopo created as a mount point (likewise)
///   complete                        `up` finished
struct JournalEntries {
  struct Init {
    std::string name;
    ProcessRef process;
  };
  struct Program {
    std::string node;
    int index = 0;
    ProcessRef process;
  };
  std::string token;                  ///< empty: no init can be recognised by command line
  std::optional<ProcessRef> builder;  ///< the `up` that built (or builds) the lab
  std::vector<Init> inits;
  std::vector<Program> programs;
  std::string netns_dir;  ///< empty until up got that far
  std::vector<std::string> netns_links;
  std::vector<std::string> created_dirs;   ///< in creation order
  std::vector<std::string> created_files;  ///< in creation order
  bool complete = false;
};

class Journal {
 public:
  /// Opens (creating) the journal for appending. Throws SystemError.
  static Journal open(const std::filesystem::path& path);
  /// Reads a journal; a missing file reads as empty. Lines it cannot parse are skipped: a torn
  /// last line after a crash must not stop `down`.
  static JournalEntries read(const std::filesystem::path& path);

  /// The first records of a lab, before any init exists: its token and the `up` building it.
  void record_start(const std::string& token, const ProcessRef& builder);
  void record_init(const std::string& name, const ProcessRef& process);
  void record_program(const std::string& node, int index, const ProcessRef& process);
  void record_netns_dir(const std::string& path);
  void record_netns(const std::string& path);
  void record_mkdir(const std::string& path);
  void record_mkfile(const std::string& path);
  void record_complete();

 private:
  explicit Journal(UniqueFd fd) : fd_(std::move(fd)) {}
  void append(const std::string& line);
  UniqueFd fd_;
};

/// The mount points (mkdir, mkfile) that running labs other than `lab` created or share, from
/// their journals: a lab leaves those in place at `down`, and shares one it finds there at `up`.
std::set<std::string> mount_points_of_other_labs(const std::string& lab);

}  // namespace nettopo
