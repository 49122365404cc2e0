// Every examples/*.toml must load without errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "test_util.h"
#include "topology/loader.h"

namespace nettopo::topology {
namespace {

std::vector<std::string> examples() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NETTOPO_EXAMPLES_DIR))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Example, LoadsWithoutErrorsOrWarnings) {
  LoadResult result = load_lab_file(std::string(NETTOPO_EXAMPLES_DIR "/") + GetParam());
  EXPECT_TRUE(result.lab) << testing::dump(result);
  EXPECT_TRUE(result.diagnostics.all().empty()) << testing::dump(result);
}

INSTANTIATE_TEST_SUITE_P(Folder, Example, ::testing::ValuesIn(examples()),
                         [](const auto& param_info) {
                           std::string name = param_info.param.substr(0, param_info.param.size() - 5);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace nettopo::topology
