// Hostile input: whatever a lab file holds, validate answers quickly, in bounded memory, with
// messages of bounded size that cannot drive a terminal (issue 8, items 10, 11 and 15).

#include "topology/input_limits.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "tests/unit/topology/test_util.h"
#include "topology/loader.h"
#include "topology/suggestion.h"

namespace nettopo::topology {
namespace {

using testing::dump;

// Every diagnostic is one line (plus its hint line), holds no control byte and is short.
void expect_tame(const LoadResult& result) {
  for (const auto& diagnostic : result.diagnostics.all()) {
    std::string text = diagnostic.to_string();
    EXPECT_LT(text.size(), 2 * Diagnostics::kMaxMessageLength + 200);
    size_t newlines = 0;
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      if (c == '\n') ++newlines;
      EXPECT_TRUE(byte >= 0x20 || c == '\n') << "control byte " << int{byte} << " in " << text;
    }
    EXPECT_LE(newlines, diagnostic.hint.empty() ? 0u : 1u) << text;
  }
}

std::string only_error(const LoadResult& result) {
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  return result.diagnostics.all().empty() ? "" : result.diagnostics.all()[0].to_string();
}

TEST(InputLimits, ADottedKeyOf40000PartsIsAnErrorNotACrash) {
  std::string key = "a";
  for (int i = 1; i < 40000; ++i) key += ".a";
  auto result = load_lab_string("[nodes.h1]\n" + key + " = 1\n", "/tmp/deep.toml");
  EXPECT_FALSE(result.lab);
  EXPECT_EQ(only_error(result),
            "/tmp/deep.toml:2:64: error: a dotted key has more than 32 parts\n"
            "  hint: a lab file needs keys of a few parts, such as nodes.r1.forward");
}

TEST(InputLimits, DeepTableHeadersAndQuotedPartsCountToo) {
  std::string header = "[nodes";
  for (int i = 0; i < 100; ++i) header += ".\"x\"";
  auto result = load_lab_string(header + "]\n", "/tmp/deep.toml");
  EXPECT_NE(only_error(result).find("a dotted key has more than 32 parts"), std::string::npos);
}

TEST(InputLimits, NestingOf100000LevelsIsAnErrorNotACrash) {
  for (auto [open, close] : {std::pair("[", "]"), std::pair("{a=", "}")}) {
    std::string value;
    for (int i = 0; i < 100000; ++i) value += open;
    auto result = load_lab_string("[nodes.h1]\nx = " + value + "\n", "/tmp/deep.toml");
    EXPECT_NE(
        only_error(result).find("2:" + std::to_string(5 + 32 * std::string(open).size()) +
                                ": error: arrays and inline tables nest deeper than 32 levels"),
        std::string::npos)
        << dump(result);
  }
}

TEST(InputLimits, DotsAndBracketsInsideStringsAndCommentsDoNotCount) {
  std::string many(200, '.');
  std::string brackets(200, '[');
  auto result = load_lab_string("# " + brackets + many + "\n[nodes.h1]\nexec = [\"" + brackets +
                                    many + "\", '" + brackets + "', \"\"\"" + brackets +
                                    "\\\"\"\"\"\", '''" + many + "''']\n",
                                "/tmp/strings.toml");
  EXPECT_TRUE(result.lab) << dump(result);
  EXPECT_EQ(check_input_limits("a = \"\\\"[[[[\"\n"), std::nullopt);
}

TEST(InputLimits, RefusesATextLargerThanTheLimit) {
  std::string text = "[nodes.h1]\n# " + std::string(kMaxLabFileBytes, 'x') + "\n";
  EXPECT_NE(only_error(load_lab_string(text, "/tmp/big.toml")).find("larger than 16 MiB"),
            std::string::npos);
}

TEST(InputLimits, ReadsOnlyRegularFiles) {
  // /dev/zero would be read until memory runs out, a FIFO would block forever.
  EXPECT_EQ(only_error(load_lab_file("/dev/zero")),
            "/dev/zero: error: the lab file is a character device, not a regular file\n"
            "  hint: nettopo reads lab files from regular files, not devices or pipes");
  auto fifo = std::filesystem::temp_directory_path() / ("fifo-" + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto result = load_lab_file(fifo.string());
  std::filesystem::remove(fifo);
  EXPECT_NE(only_error(result).find("is a FIFO, not a regular file"), std::string::npos);
}

TEST(InputLimits, ATenMegabyteNameIsQuickAndShownShort) {
  std::string text = "[nodes.h1]\n";
  for (int i = 0; i < 100; ++i) text += "[nodes.n" + std::to_string(i) + "]\n";
  std::string node(1 << 20, 'n');
  std::string endpoint(10 << 20, 'm');
  text += "[nodes." + node + "]\n";
  text += "[[links]]\nendpoints = [\"h1\", \"" + endpoint + "\"]\n";
  auto start = std::chrono::steady_clock::now();
  auto result = load_lab_string(text, "/tmp/long.toml");
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);  // was 113 s with 100 nodes
  EXPECT_FALSE(result.lab);
  expect_tame(result);
  std::vector<std::string> messages;
  for (const auto& diagnostic : result.diagnostics.all()) messages.push_back(diagnostic.message);
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "invalid node name '" + std::string(80, 'n') + "…': is longer than 32 characters",
                "link endpoint '" + std::string(80, 'm') + "…' names no node or bridge"}));
}

TEST(InputLimits, SuggestionsOnlyForNamesOfSensibleLength) {
  std::string long_word(kMaxSuggestedLength + 1, 'a');
  EXPECT_EQ(closest_match(long_word, {long_word + "b"}), "");
  EXPECT_EQ(closest_match("h10", {long_word, "h1"}), "h1");
  EXPECT_EQ(closest_match(std::string(kMaxSuggestedLength, 'a'),
                          {std::string(kMaxSuggestedLength - 1, 'a') + "b"}),
            std::string(kMaxSuggestedLength - 1, 'a') + "b");
}

TEST(Printable, EscapesControlCharactersAndCutsLongValues) {
  EXPECT_EQ(in_quotes("r1"), "'r1'");
  EXPECT_EQ(in_quotes("a\x1b[31mb\x07\n\t\r\x7f"), "'a\\x1b[31mb\\x07\\n\\t\\r\\x7f'");
  EXPECT_EQ(in_quotes("\xc2\x9b"
                      "1m"),
            "'\\u009b1m'");  // C1 CSI, in UTF-8
  EXPECT_EQ(in_quotes("é"), "'é'");
  EXPECT_EQ(printable(std::string(81, 'x')), std::string(80, 'x') + "…");
  EXPECT_EQ(printable(std::string(80, 'x')), std::string(80, 'x'));
  // Characters, not bytes: a multi-byte character is never cut in half.
  std::string accents;
  for (int i = 0; i < 81; ++i) accents += "é";
  EXPECT_EQ(printable(accents), accents.substr(0, 160) + "…");
}

TEST(Printable, EveryDiagnosticIsEscapedWhateverBuiltIt) {
  Diagnostics diagnostics;
  diagnostics.error({"/tmp/x\x1b.toml", 1, 1}, "raw \x1b[2J", "hint \x07");
  const auto& diagnostic = diagnostics.all()[0];
  EXPECT_EQ(diagnostic.to_string(),
            "/tmp/x\\x1b.toml:1:1: error: raw \\x1b[2J\n  hint: hint \\x07");
}

}  // namespace
}  // namespace nettopo::topology
