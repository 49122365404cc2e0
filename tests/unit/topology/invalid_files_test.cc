// Bad input is data: every tests/data/invalid/*.toml names the errors it must produce in
// "# expect: LINE:COL: error: MESSAGE" lines, and this one test walks the folder.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "topology/loader.h"

namespace nettopo::topology {
namespace {

std::vector<std::string> invalid_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NETTOPO_TEST_DATA_DIR "/invalid"))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class InvalidFile : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidFile, ProducesExactlyTheExpectedErrors) {
  std::string path = std::string(NETTOPO_TEST_DATA_DIR "/invalid/") + GetParam();
  std::vector<std::string> expected;
  std::ifstream in(path);
  const std::string marker = "# expect: ";
  for (std::string line; std::getline(in, line);) {
    auto at = line.find(marker);
    if (at != std::string::npos) expected.push_back(line.substr(at + marker.size()));
  }
  ASSERT_FALSE(expected.empty()) << path << " has no '# expect:' line";

  LoadResult result = load_lab_file(path);
  std::vector<std::string> actual;
  for (const auto& diagnostic : result.diagnostics.all()) {
    if (diagnostic.severity != Diagnostic::Severity::Error) continue;
    Diagnostic without_file = diagnostic;
    without_file.hint.clear();
    std::string text = without_file.to_string();
    ASSERT_EQ(text.rfind(path + ":", 0), 0u) << text;
    actual.push_back(text.substr(path.size() + 1));
  }
  EXPECT_EQ(actual, expected);
  EXPECT_FALSE(result.lab.has_value());
  EXPECT_EQ(result.diagnostics.error_count(), expected.size());
}

INSTANTIATE_TEST_SUITE_P(Folder, InvalidFile, ::testing::ValuesIn(invalid_files()),
                         [](const auto& param_info) {
                           std::string name =
                               param_info.param.substr(0, param_info.param.size() - 5);
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace nettopo::topology
