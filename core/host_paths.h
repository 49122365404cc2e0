#pragma once

// The host paths nettopo makes for a node's private dirs and files, made and removed so that no
// path in a lab file can reach further than it says. Each path is walked from / (or from a
// directory nettopo owns) one component at a time without following symbolic links, and a path
// is journaled only when the call that made it said so (mkdir's own answer, O_EXCL): `down`
// removes exactly what `up` made, never a path that was there before.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace nettopo {

class Journal;

/// Makes sure the mount point `path` (absolute, with no ".", ".." or empty component) exists on
/// the host, as a directory or (`directory` false) a file, creating what is missing, directories
/// above it included. Journals each path right after creating it. A path that already exists
/// and that another running lab made (`others`, from their journals) is journaled too, as
/// shared: the last lab that uses it removes it. Throws Error naming `node` when a component is
/// a symbolic link or of the wrong type, SystemError when the kernel refuses.
void ensure_mount_point(const std::string& node, const std::filesystem::path& path, bool directory,
                        Journal& journal, const std::set<std::string>& others);

/// Removes the mount points a lab's journal says it created, newest first: a file only when it
/// is still an empty regular file, a directory only when it is empty, neither when a component
/// on the way is a symbolic link, nor any path in `keep` (shared with a running lab). Never
/// throws: a path that cannot go is logged as a warning naming `lab`. Returns how many went.
size_t remove_mount_points(const std::string& lab, const std::vector<std::string>& created_dirs,
                           const std::vector<std::string>& created_files,
                           const std::set<std::string>& keep);

/// Copies the regular file `source` (at most `limit` bytes; a FIFO or device is refused without
/// blocking) to `relative` beneath the directory `base`, which nettopo owns, creating the
/// directories between. Never leaves `base`: `relative` may not climb out of it or pass a
/// symbolic link. Throws Error naming `node`, SystemError.
void copy_file_beneath(const std::string& node, const std::filesystem::path& source,
                       const std::filesystem::path& base, const std::filesystem::path& relative,
                       std::uintmax_t limit);

/// Writes `content` to `path`, replacing the file. Throws SystemError.
void write_file(const std::filesystem::path& path, const std::string& content);

}  // namespace nettopo
