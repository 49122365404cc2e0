#include "core/runtime_dir.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace nettopo
