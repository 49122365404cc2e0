#include "nettopo/lab_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nettopo/error.h"

namespace nettopo::api {
namespace {

constexpr const char* kTwoHosts = R"(name = "pair"
[nodes.h1]
[nodes.h2]
[bridges.sw]
[[links]]
endpoints = ["h1:eth0", "sw"]
[[links]]
endpoints = ["h2:eth0", "sw"]
)";

// The text of the Error a load throws, or "" when it does not throw.
template <class Load>
std::pair<std::string, int> error_of(Load load) {
  try {
    load();
  } catch (const Error& failure) {
    return {failure.what(), failure.exit_code()};
  }
  return {"", 0};
}

TEST(LabFile, ParsesAString) {
  LabFile file = LabFile::parse(kTwoHosts);
  EXPECT_EQ(file.name(), "pair");
  EXPECT_EQ(file.node_names(), (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(file.bridge_names(), (std::vector<std::string>{"sw"}));
  EXPECT_TRUE(file.warnings().empty());
}

TEST(LabFile, NamesAStringWithoutNameAfterItsPath) {
  LabFile file = LabFile::parse("[nodes.h1]\n", "/tmp/ospf-area.toml");
  EXPECT_EQ(file.name(), "ospf-area");
  EXPECT_EQ(file.source_file(), "/tmp/ospf-area.toml");
}

TEST(LabFile, ReportsEveryMistakeWithFileAndLine) {
  auto [text, code] = error_of([] {
    LabFile::parse("name = \"x\"\n[nodes.h1]\n[[links]]\nendpoints = [\"h1:eth0\", \"h9:eth0\"]\n",
                   "mine.toml");
  });
  EXPECT_EQ(text, "mine.toml:4:25: error: link endpoint 'h9' names no node or bridge");
  EXPECT_EQ(code, 2);
}

TEST(LabFile, ReportsTomlSyntaxErrorsWithFileAndLine) {
  auto [text, code] = error_of([] { LabFile::parse("name = \"x\"\n[nodes.h1\n", "mine.toml"); });
  EXPECT_EQ(text,
            "mine.toml:2:10: error: Error while parsing table header: expected ']', saw '\\n'");
  EXPECT_EQ(code, 2);
}

TEST(LabFile, ReportsSeveralMistakesOnePerLine) {
  auto [text, code] = error_of([] {
    LabFile::parse(
        "[nodes.h1]\n[[links]]\nendpoints = [\"h1:eth0\", \"h8:eth0\"]\n"
        "[[links]]\nendpoints = [\"h1:eth1\", \"h9:eth0\"]\n",
        "two.toml");
  });
  EXPECT_EQ(text,
            "two.toml:3:25: error: link endpoint 'h8' names no node or bridge\n"
            "two.toml:5:25: error: link endpoint 'h9' names no node or bridge");
}

TEST(LabFile, LoadsAFile) {
  auto path = std::filesystem::temp_directory_path() / "nettopo-api-load-test.toml";
  std::ofstream(path) << kTwoHosts;
  LabFile file = LabFile::load(path.string());
  EXPECT_EQ(file.name(), "pair");
  EXPECT_EQ(file.source_file(), path.string());
  std::filesystem::remove(path);
}

TEST(LabFile, ReportsAMissingFile) {
  auto [text, code] = error_of([] { LabFile::load("/nonexistent/lab.toml"); });
  EXPECT_NE(text.find("/nonexistent/lab.toml"), std::string::npos) << text;
  EXPECT_EQ(code, 2);
}

TEST(LabFile, RenamesByLoadingAgain) {
  LabFile file = LabFile::parse(kTwoHosts);
  LabFile renamed = file.with_name("other");
  EXPECT_EQ(renamed.name(), "other");
  EXPECT_EQ(file.name(), "pair");
  EXPECT_EQ(renamed.node_names(), file.node_names());
}

TEST(LabFile, RefusesAnInvalidName) {
  auto [text, code] = error_of([] { LabFile::parse(kTwoHosts).with_name("9lives"); });
  EXPECT_NE(text.find("must start with a letter"), std::string::npos) << text;
  EXPECT_EQ(code, 2);
}

}  // namespace
}  // namespace nettopo::api
