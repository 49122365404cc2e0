#include "topology/path_rules.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "topology/regular_file.h"

namespace nettopo::topology {
namespace {

TEST(PathRules, AcceptsAbsoluteNormalPaths) {
  EXPECT_FALSE(check_node_path("/"));
  EXPECT_FALSE(check_node_path("/etc/frr/frr.conf"));
  EXPECT_FALSE(check_node_path("/srv/lab/..hidden/x.."));  // dots inside a name are a name
  EXPECT_FALSE(check_node_path("/a b/c"));
  EXPECT_FALSE(check_node_path("/" + std::string(255, 'x')));
}

TEST(PathRules, RefusesWhatCouldClimbOutOrMeanAnotherPath) {
  EXPECT_EQ(check_node_path("etc/x"), "must be an absolute path");
  EXPECT_EQ(check_node_path(""), "must be an absolute path");
  EXPECT_EQ(check_node_path("/srv/x/../../etc/victim.conf"), "must not contain a '..' component");
  EXPECT_EQ(check_node_path("/.."), "must not contain a '..' component");
  EXPECT_EQ(check_node_path("/srv/./x"), "must not contain a '.' component");
  EXPECT_EQ(check_node_path("/srv/."), "must not contain a '.' component");
  EXPECT_EQ(check_node_path("/srv//x"),
            "must not contain an empty component ('//' or a trailing '/')");
  EXPECT_EQ(check_node_path("/srv/"),
            "must not contain an empty component ('//' or a trailing '/')");
  EXPECT_EQ(check_node_path(std::string("/a\0/../etc", 10)), "must not contain control characters");
  EXPECT_EQ(check_node_path("/a\nmkdir /etc"), "must not contain control characters");
  EXPECT_EQ(check_node_path("/" + std::string(256, 'x')), "has a component longer than 255 bytes");
  std::string long_path;
  while (long_path.size() <= kMaxNodePathLength) long_path += "/abcdefgh";
  EXPECT_EQ(check_node_path(long_path), "is longer than 4095 bytes");
}

TEST(PathRules, ReservedPaths) {
  EXPECT_FALSE(check_reserved_node_path("/etc/frr"));
  EXPECT_FALSE(check_reserved_node_path("/run/frr"));
  EXPECT_FALSE(check_reserved_node_path("/etc/hosts.allow"));
  EXPECT_FALSE(check_reserved_node_path("/devices"));
  EXPECT_TRUE(check_reserved_node_path("/"));
  EXPECT_EQ(check_reserved_node_path("/proc"), "is /proc, which every node needs as it is");
  EXPECT_EQ(check_reserved_node_path("/dev/shm"),
            "is inside /dev, which every node needs as it is");
  EXPECT_EQ(check_reserved_node_path("/etc/hosts"),
            "is /etc/hosts, which nettopo sets up in every node");
  EXPECT_EQ(check_reserved_node_path("/run/nettopo/x"),
            "is inside /run/nettopo, which nettopo sets up in every node");
  EXPECT_EQ(check_reserved_node_path("/run"), "would hide /run/nettopo, which every node needs");
  EXPECT_EQ(check_reserved_node_path("/etc"), "would hide /etc/hosts, which every node needs");
}

TEST(PathRules, Within) {
  EXPECT_TRUE(path_within("/a/b", "/a"));
  EXPECT_TRUE(path_within("/a", "/a"));
  EXPECT_TRUE(path_within("/a", "/"));
  EXPECT_FALSE(path_within("/ab", "/a"));
  EXPECT_FALSE(path_within("/a", "/a/b"));
}

class RegularFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nettopo-regular-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(RegularFile, OnlyRegularFilesWithinTheLimit) {
  std::ofstream(dir_ / "small") << "12345";
  EXPECT_FALSE(check_regular_file(dir_ / "small", 5));
  EXPECT_EQ(check_regular_file(dir_ / "small", 4), "is larger than 4 bytes");
  EXPECT_EQ(check_regular_file(dir_ / "missing", 5), "does not exist");
  EXPECT_EQ(check_regular_file(dir_, 5), "is a directory, not a regular file");
  EXPECT_EQ(check_regular_file("/dev/zero", 5), "is a character device, not a regular file");
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(check_regular_file(dir_ / "fifo", 5), "is a FIFO, not a regular file");
  EXPECT_EQ(byte_size_text(kMaxLabFileBytes), "16 MiB");
  EXPECT_EQ(byte_size_text(kMaxCopiedFileBytes), "1 GiB");
}

}  // namespace
}  // namespace nettopo::topology
