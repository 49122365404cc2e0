// What a lab file can do to host paths: nothing outside what it names, nothing that was there
// before removed, any number of dirs and files, and no lab file that is not a regular file.
// Needs root for up; every lab has a unique name and is taken down by the test that made it.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tests/integration/core/lab_runner.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

// A scratch directory under /tmp for one test, removed at the end.
class Scratch {
 public:
  explicit Scratch(const std::string& name) : path_(fs::temp_directory_path() / (name + "-host")) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Scratch() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name) << content;
    return (path_ / name).string();
  }

 private:
  fs::path path_;
};

std::string lab_file(const Scratch& scratch, const std::string& node_a) {
  return scratch.write(
      "lab.toml", "[nodes.a]\n" + node_a + "\n[nodes.b]\n[[links]]\nendpoints = [\"a\", \"b\"]\n");
}

TEST(HostPaths, ADotDotPathIsRefusedAndTheHostFileStaysAsItWas) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("pesc"));
  Scratch scratch(lab.name());
  std::string victim = scratch.write("victim.conf", "original\n");
  scratch.write("payload.txt", "payload\n");
  // Enough '..' to climb from a private directory to the victim.
  std::string escape = (scratch.path() / "esc/x/../..").string() + "/victim.conf";
  std::string file = lab_file(scratch, "files = { \"" + escape + "\" = \"payload.txt\" }");

  auto validate = nettopo({"validate", file});
  EXPECT_EQ(validate.status, 2) << validate.output;
  EXPECT_NE(validate.output.find(file + ":2:11: error: '" + escape +
                                 "' in 'files' must not contain a '..' component"),
            std::string::npos)
      << validate.output;
  auto up = nettopo({"up", "--name", lab.name(), file});
  EXPECT_EQ(up.status, 2) << up.output;
  EXPECT_FALSE(fs::exists(scratch.path() / "esc")) << "up created directories on the way";
  std::ifstream in(victim);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "original\n");
  EXPECT_TRUE(traces_of(lab.name()).empty());
}

TEST(HostPaths, WhatExistedBeforeUpSurvivesDown) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("pkeep"));
  Scratch scratch(lab.name());
  // An empty directory and an empty file, the kind of thing `down` may remove when it believes
  // it made them; and a new directory below the kept one, which `down` must remove.
  fs::create_directory(scratch.path() / "keep");
  scratch.write("keep.conf", "");
  scratch.write("source.txt", "x\n");
  std::string keep = (scratch.path() / "keep").string();
  std::string keep_file = (scratch.path() / "keep.conf").string();
  std::string made = keep + "/made/deeper";
  // Named through a missing component, as the issue found it: up used to create 'missing', see
  // EEXIST for the kept path, journal it as its own, and down removed it.
  std::string through = (scratch.path() / "missing/..").string();
  std::string sneaky = scratch.write(
      "sneaky.toml", "[nodes.a]\ndirs = [\"" + through + "/keep\"]\nfiles = { \"" + through +
                         "/keep.conf\" = \"source.txt\" }\n[nodes.b]\n[[links]]\n"
                         "endpoints = [\"a\", \"b\"]\n");
  EXPECT_EQ(nettopo({"up", "--name", lab.name(), sneaky}).status, 2);
  nettopo({"down", "--lab", lab.name()});
  EXPECT_TRUE(fs::is_directory(keep)) << "down removed a directory that was there before up";
  EXPECT_TRUE(fs::is_regular_file(keep_file)) << "down removed a file that was there before up";
  EXPECT_FALSE(fs::exists(scratch.path() / "missing"));

  // Named plainly, beside a new directory below it, which down must remove.
  // Nested dirs are refused: the new one goes to node b.
  std::string file =
      scratch.write("lab.toml", "[nodes.a]\ndirs = [\"" + keep + "\"]\nfiles = { \"" + keep_file +
                                    "\" = \"source.txt\" }\n[nodes.b]\ndirs = [\"" + made +
                                    "\"]\n[[links]]\nendpoints = [\"a\", \"b\"]\n");
  auto up = nettopo({"up", "--name", lab.name(), file});
  ASSERT_EQ(up.status, 0) << up.output;
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "cat", keep_file}).output, "x\n");
  EXPECT_TRUE(fs::is_directory(made));
  ASSERT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  EXPECT_TRUE(fs::is_directory(keep)) << "down removed a directory that was there before up";
  EXPECT_TRUE(fs::is_regular_file(keep_file)) << "down removed a file that was there before up";
  EXPECT_FALSE(fs::exists(keep + "/made")) << "down left a directory up made";
}

TEST(HostPaths, ANodeWithAHundredDirsAndFilesGetsThemAllAndLeavesNothing) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("pmany"));
  Scratch scratch(lab.name());
  scratch.write("source.txt", "copied\n");
  std::string top = (scratch.path() / "many").string();
  std::string dirs, files;
  for (int i = 0; i < 100; ++i) {
    dirs += (i ? ", \"" : "\"") + top + "/d" + std::to_string(i) + "\"";
    files += (i ? ", \"" : "\"") + top + "/f" + std::to_string(i) + "\" = \"source.txt\"";
  }
  std::string file = lab_file(scratch, "dirs = [" + dirs + "]\nfiles = { " + files + " }");
  auto up = nettopo({"up", "--name", lab.name(), file});
  ASSERT_EQ(up.status, 0) << up.output;

  // Every one is the node's own: the last dir and the last file as much as the first.
  auto count = nettopo({"exec", "--lab", lab.name(), "a", "--", "sh", "-c",
                        "grep -c ' " + top + "/' /proc/self/mountinfo"});
  EXPECT_EQ(count.output, "200\n") << count.output;
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "cat", top + "/f99"}).output,
            "copied\n");
  auto write = nettopo(
      {"exec", "--lab", lab.name(), "a", "--", "sh", "-c", "echo mine > " + top + "/d99/note"});
  EXPECT_EQ(write.status, 0) << write.output;
  EXPECT_FALSE(fs::exists(top + "/d99/note")) << "a node's write landed on the host";

  ASSERT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  EXPECT_FALSE(fs::exists(top)) << "down left mount points on the host";
  EXPECT_TRUE(traces_of(lab.name()).empty());
}

// A lab file that is not a regular file is refused at once: /dev/zero would be read until
// memory runs out, a FIFO would block forever. `timeout` turns a hang into status 124.
TEST(HostPaths, ALabFileThatIsNoRegularFileIsRefusedAtOnce) {
  std::string name = unique_lab_name("pfifo");
  Scratch scratch(name);
  std::string fifo = (scratch.path() / "lab.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto& [path, kind] :
       {std::pair<std::string, std::string>{"/dev/zero", "a character device"}, {fifo, "a FIFO"}}) {
    for (const std::string command : {"validate", "up"}) {
      auto started = std::chrono::steady_clock::now();
      auto result = run({"timeout", "20", "{nettopo}", command, path});
      EXPECT_EQ(result.status, 2) << command << " " << path << ": " << result.output;
      EXPECT_NE(result.output.find(std::string(path)
                                       .append(": error: the lab file is ")
                                       .append(kind)
                                       .append(", not a regular file")),
                std::string::npos)
          << result.output;
      EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    }
  }
}

}  // namespace
}  // namespace nettopo::testing
