#include "core/host_paths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/journal.h"
#include "core/node_mounts.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;

// Creates an empty file.
void touch(const fs::path& path) { std::ofstream created(path); }

// Works in a fresh directory under /tmp; the journal lives beside it.
class HostPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    top_ = fs::temp_directory_path() /
           ("nettopo-paths-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(top_);
    fs::create_directories(top_ / "keep");
    journal_path_ = top_.string() + ".journal";
    fs::remove(journal_path_);
  }
  void TearDown() override {
    fs::remove_all(top_);
    fs::remove(journal_path_);
  }
  JournalEntries entries() const { return Journal::read(journal_path_); }
  size_t remove_all_created() const {
    auto read = entries();
    return remove_mount_points("test", read.created_dirs, read.created_files, {});
  }

  fs::path top_;
  fs::path journal_path_;
};

TEST_F(HostPaths, JournalsAndRemovesOnlyWhatItCreated) {
  {
    Journal journal = Journal::open(journal_path_);
    ensure_mount_point("a", top_ / "keep" / "new" / "deeper", true, journal, {});
    ensure_mount_point("a", top_ / "keep" / "file.conf", false, journal, {});
  }
  EXPECT_TRUE(fs::is_directory(top_ / "keep" / "new" / "deeper"));
  EXPECT_TRUE(fs::is_regular_file(top_ / "keep" / "file.conf"));
  EXPECT_EQ(entries().created_dirs,
            (std::vector<std::string>{(top_ / "keep/new").string(),
                                      (top_ / "keep/new/deeper").string()}));
  EXPECT_EQ(entries().created_files, std::vector<std::string>{(top_ / "keep/file.conf").string()});
  EXPECT_EQ(remove_all_created(), 3u);
  EXPECT_FALSE(fs::exists(top_ / "keep" / "new"));
  EXPECT_FALSE(fs::exists(top_ / "keep" / "file.conf"));
  EXPECT_TRUE(fs::is_directory(top_ / "keep")) << "a directory that was there before went";
}

TEST_F(HostPaths, APathThatExistedIsNeverJournaled) {
  touch(top_ / "keep" / "there.conf");
  {
    Journal journal = Journal::open(journal_path_);
    ensure_mount_point("a", top_ / "keep", true, journal, {});
    ensure_mount_point("a", top_ / "keep" / "there.conf", false, journal, {});
  }
  EXPECT_TRUE(entries().created_dirs.empty());
  EXPECT_TRUE(entries().created_files.empty());
}

TEST_F(HostPaths, APathAnotherLabMadeIsJournaledAsShared) {
  std::set<std::string> others = {(top_ / "keep").string()};
  {
    Journal journal = Journal::open(journal_path_);
    ensure_mount_point("a", top_ / "keep", true, journal, others);
  }
  EXPECT_EQ(entries().created_dirs, std::vector<std::string>{(top_ / "keep").string()});
  // ...and stays while that lab runs.
  auto read = entries();
  EXPECT_EQ(remove_mount_points("test", read.created_dirs, read.created_files, others), 0u);
  EXPECT_TRUE(fs::is_directory(top_ / "keep"));
}

TEST_F(HostPaths, NeverFollowsASymbolicLink) {
  fs::create_directories(top_ / "elsewhere");
  fs::create_directory_symlink(top_ / "elsewhere", top_ / "link");
  Journal journal = Journal::open(journal_path_);
  try {
    ensure_mount_point("a", top_ / "link" / "x", true, journal, {});
    FAIL() << "went through a symbolic link";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "node a: mount point " + (top_ / "link").string() +
                                             " is a symbolic link on the host; name the real path");
  }
  EXPECT_THROW(ensure_mount_point("a", top_ / "link", false, journal, {}), Error);
  EXPECT_TRUE(fs::is_empty(top_ / "elsewhere"));
  EXPECT_TRUE(entries().created_dirs.empty());

  // Nor when removing: a journaled path whose directory became a link stays where it is.
  touch(top_ / "elsewhere" / "empty");
  fs::create_directory(top_ / "elsewhere" / "dir");
  EXPECT_EQ(remove_mount_points("test", {(top_ / "link" / "dir").string()},
                                {(top_ / "link" / "empty").string()}, {}),
            0u);
  EXPECT_TRUE(fs::exists(top_ / "elsewhere" / "empty"));
  EXPECT_TRUE(fs::exists(top_ / "elsewhere" / "dir"));
}

TEST_F(HostPaths, RefusesAMountPointOfTheWrongType) {
  Journal journal = Journal::open(journal_path_);
  touch(top_ / "file");
  EXPECT_THROW(ensure_mount_point("a", top_ / "file", true, journal, {}), Error);
  EXPECT_THROW(ensure_mount_point("a", top_ / "keep", false, journal, {}), Error);
}

TEST_F(HostPaths, RemovesOnlyAnEmptyFileAndAnEmptyDirectory) {
  {
    Journal journal = Journal::open(journal_path_);
    ensure_mount_point("a", top_ / "made" / "file", false, journal, {});
  }
  std::ofstream(top_ / "made" / "file") << "a user's data";
  touch(top_ / "made" / "other");
  EXPECT_EQ(remove_all_created(), 0u);
  EXPECT_TRUE(fs::exists(top_ / "made" / "file"));
}

TEST_F(HostPaths, CopiesARegularFileBeneathItsDirectoryOnly) {
  fs::path source = top_ / "source.sh";
  std::ofstream(source) << "#!/bin/sh\n";
  fs::permissions(source, fs::perms(0750));
  copy_file_beneath("a", source, top_ / "base", "etc/x/run.sh", 1024);
  EXPECT_EQ(fs::file_size(top_ / "base/etc/x/run.sh"), 10u);
  EXPECT_EQ(fs::status(top_ / "base/etc/x/run.sh").permissions(), fs::perms(0750));

  EXPECT_THROW(copy_file_beneath("a", source, top_ / "base", "../../escaped", 1024), Error);
  EXPECT_FALSE(fs::exists(top_.parent_path() / "escaped"));
  fs::create_directory_symlink(top_ / "keep", top_ / "base" / "link");
  EXPECT_THROW(copy_file_beneath("a", source, top_ / "base", "link/x", 1024), Error);
  EXPECT_TRUE(fs::is_empty(top_ / "keep"));
  EXPECT_THROW(copy_file_beneath("a", source, top_ / "base", "small", 5), Error);
}

TEST_F(HostPaths, RefusesASourceThatIsNoRegularFileWithoutBlocking) {
  ASSERT_EQ(::mkfifo((top_ / "fifo").c_str(), 0600), 0);
  EXPECT_THROW(copy_file_beneath("a", top_ / "fifo", top_ / "base", "x", 1024), Error);
  EXPECT_THROW(copy_file_beneath("a", "/dev/zero", top_ / "base", "x", 1024), Error);
}

TEST_F(HostPaths, ANodeWithManyDirsAndFilesGetsAMountForEach) {
  topology::Node node;
  node.name = "a";
  std::ofstream(top_ / "source") << "x";
  for (int i = 0; i < 100; ++i) {
    node.dirs.push_back((top_ / "keep" / ("d" + std::to_string(i))).string());
    node.files.push_back(
        {(top_ / "keep" / ("f" + std::to_string(i))).string(), (top_ / "source").string(), {}, {}});
  }
  node.files.push_back({node.dirs[0] + "/inside", (top_ / "source").string(), {}, {}});
  std::vector<BindMount> mounts;
  {
    Journal journal = Journal::open(journal_path_);
    mounts = prepare_node_mounts(node, top_ / "node", journal, {});
  }
  ASSERT_EQ(mounts.size(), 200u);  // the file inside a dir is copied there, not mounted
  EXPECT_EQ(mounts[0], (BindMount{(top_ / "node/dirs/0").string(), node.dirs[0]}));
  EXPECT_EQ(mounts[100], (BindMount{(top_ / "node/files/0").string(), node.files[0].inside_path}));
  EXPECT_TRUE(fs::exists(top_ / "node/dirs/0/inside"));
  EXPECT_EQ(remove_all_created(), 200u);
  EXPECT_TRUE(fs::is_empty(top_ / "keep"));
}

TEST(NodeMounts, EncodesEachMountAsThreeStrings) {
  using namespace std::string_literals;
  EXPECT_EQ(encode_mounts({{"/s", "/t"}, {"/a", "/b", true}}), "bind\0/s\0/t\0bind-ro\0/a\0/b\0"s);
  EXPECT_EQ(encode_mounts({}), "");
}

}  // namespace
}  // namespace nettopo
