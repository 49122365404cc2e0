#include "core/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace nettopo {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("nettopo-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(JournalTest, ReadsBackWhatWasRecorded) {
  {
    Journal journal = Journal::open(path_);
    journal.record_start("00ff", {1200, 98});
    journal.record_init("r1", {1234, 99});
    journal.record_netns_dir("/run/nettopo/lab/netns");
    journal.record_netns("/run/netns/lab-r1");
    journal.record_mkdir("/etc/frr");
    journal.record_mkfile("/etc/frr/x with space.conf");
    journal.record_program("r1", 0, {1240, 100});
    journal.record_complete();
  }
  JournalEntries entries = Journal::read(path_);
  EXPECT_EQ(entries.token, "00ff");
  EXPECT_EQ(entries.builder, (ProcessRef{1200, 98}));
  ASSERT_EQ(entries.inits.size(), 1u);
  EXPECT_EQ(entries.inits[0].name, "r1");
  EXPECT_EQ(entries.inits[0].process, (ProcessRef{1234, 99}));
  EXPECT_EQ(entries.netns_dir, "/run/nettopo/lab/netns");
  EXPECT_EQ(entries.netns_links, std::vector<std::string>{"/run/netns/lab-r1"});
  EXPECT_EQ(entries.created_dirs, std::vector<std::string>{"/etc/frr"});
  EXPECT_EQ(entries.created_files, std::vector<std::string>{"/etc/frr/x with space.conf"});
  ASSERT_EQ(entries.programs.size(), 1u);
  EXPECT_EQ(entries.programs[0].process.pid, 1240);
  EXPECT_TRUE(entries.complete);
}

TEST_F(JournalTest, SkipsALineTornByACrash) {
  std::ofstream(path_) << "init a 10 20\ninit b 11";
  JournalEntries entries = Journal::read(path_);
  ASSERT_EQ(entries.inits.size(), 1u);
  EXPECT_EQ(entries.inits[0].name, "a");
  EXPECT_FALSE(entries.complete);
}

TEST_F(JournalTest, MissingJournalReadsAsEmpty) {
  JournalEntries entries = Journal::read(path_);
  EXPECT_TRUE(entries.inits.empty());
  EXPECT_TRUE(entries.netns_links.empty());
  EXPECT_TRUE(entries.netns_dir.empty());
}

}  // namespace
}  // namespace nettopo
