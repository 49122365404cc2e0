#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/sys/unique_fd.h"

namespace nettopo {

/// Where running labs keep their state: /run/nettopo, or $NETTOPO_RUNTIME_DIR when set.
std::filesystem::path runtime_base();

/// Names of the labs under runtime_base(), sorted: the directories with a valid lab name and a
/// journal. Anything else there (a stray file or directory) is not a lab, and is ignored.
std::vector<std::string> list_labs();

/// A fresh random token (32 hex digits) that marks what one `up` made: the lab's inits carry it
/// on their command line and its journal records it, so that a command only ever recognises an
/// init as its lab's through the lab's own runtime directory, never by the lab's name alone.
std::string make_lab_token();

/// The directory of one lab: /run/nettopo/LAB (mode 0700). Holds its lock, journal, model,
/// hosts file, per-node files and logs. Knows paths; creates and removes, nothing more.
class RuntimeDir {
 public:
  explicit RuntimeDir(const std::string& lab);

  const std::string& lab() const { return lab_; }
  const std::filesystem::path& path() const { return path_; }
  bool exists() const;
  /// True when the directory holds a lab: it has a journal. `up` creates the journal right after
  /// the directory, before anything else.
  bool holds_lab() const;

  std::filesystem::path journal() const { return path_ / "journal"; }
  std::filesystem::path model() const { return path_ / "lab.json"; }
  std::filesystem::path hosts() const { return path_ / "hosts"; }
  /// A tmpfs of the lab's own, mounted by up: one file per node, each a bind mount of the node's
  /// network namespace, which /run/netns/LAB-NODE links to.
  std::filesystem::path netns_dir() const { return path_ / "netns"; }
  std::filesystem::path node_dir(const std::string& node) const { return path_ / "nodes" / node; }
  std::filesystem::path log_dir(const std::string& node) const { return node_dir(node) / "logs"; }
  /// Where the node's init records how each process it reaped ended ("exit PID START STATUS").
  std::string exit_log(const std::string& node) const { return node_dir(node) / "exits"; }

  /// Creates the directory (and the base) with mode 0700, with nodes/ in it.
  /// Per-node directories are made only for nodes that need one. Throws SystemError.
  void create() const;
  /// Removes the directory and everything in it; missing is fine. Throws SystemError.
  void remove() const;

 private:
  std::string lab_;
  std::filesystem::path path_;
};

/// An exclusive lock on a lab (flock on BASE/LAB.lock, beside the directory so that removing the
/// directory never races with a waiting command). Released when destroyed.
class LabLock {
 public:
  /// Waits up to `timeout_seconds` for the lock; throws Error naming the lab when it stays busy.
  static LabLock acquire(const std::string& lab, double timeout_seconds);
  /// Takes the lock only if it is free right now.
  static std::optional<LabLock> try_acquire(const std::string& lab);

  /// Unlinks the lock file (the lock stays held until destruction): the last trace of a lab.
  void remove_file();

 private:
  LabLock(std::string lab, UniqueFd fd) : lab_(std::move(lab)), fd_(std::move(fd)) {}
  std::string lab_;
  UniqueFd fd_;
};

}  // namespace nettopo
