#include "core/runtime_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/sys/error.h"

namespace nettopo {
namespace {

TEST(RuntimeDir, PathsLiveUnderTheBaseNamedAfterTheLab) {
  RuntimeDir dir("triangle");
  EXPECT_EQ(dir.path(), runtime_base() / "triangle");
  EXPECT_EQ(dir.journal(), runtime_base() / "triangle" / "journal");
  EXPECT_EQ(dir.log_dir("h1"), runtime_base() / "triangle" / "nodes" / "h1" / "logs");
}

// A name from the command line becomes a path only once it is a valid lab name: "--lab ../etc"
// must not reach outside the runtime base.
TEST(RuntimeDir, RefusesANameThatIsNotALabName) {
  for (const char* name : {"../etc", "a/b", "", ".", "lab name"}) {
    EXPECT_THROW(RuntimeDir{name}, UsageError) << name;
    EXPECT_THROW(LabLock::try_acquire(name), UsageError) << name;
  }
}

// A stray entry under the runtime base (a file, a directory without a journal, a name no lab can
// have) is not a lab: status, up and down must not trip over it.
TEST(RuntimeDir, ListsOnlyDirectoriesThatHoldALab) {
  namespace fs = std::filesystem;
  fs::path base = fs::temp_directory_path() / ("nettopo-base-" + std::to_string(::getpid()));
  fs::create_directories(base / "real");
  std::ofstream(base / "real" / "journal") << "token 00\n";
  fs::create_directories(base / "no-journal");
  fs::create_directories(base / "bad name");
  std::ofstream(base / "bad name" / "journal") << "\n";
  std::ofstream(base / "stray.txt") << "x\n";
  { std::ofstream created(base / "real.lock"); }
  ::setenv("NETTOPO_RUNTIME_DIR", base.c_str(), 1);
  auto labs = list_labs();
  ::unsetenv("NETTOPO_RUNTIME_DIR");
  fs::remove_all(base);
  EXPECT_EQ(labs, std::vector<std::string>{"real"});
}

TEST(LabToken, IsFreshEachTime) {
  std::string token = make_lab_token();
  EXPECT_EQ(token.size(), 32u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(token, make_lab_token());
}

}  // namespace
}  // namespace nettopo
