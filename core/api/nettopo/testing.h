#pragma once

// GoogleTest fixtures for protocol tests in C++: a real lab per test suite or per test, under a
// name no other test uses, taken down whatever the test does (fails, throws, is skipped).
// Header-only; link nettopo::nettopo and GTest. Documented in docs/api.md.

#include <gtest/gtest.h>
#include <unistd.h>

#include <exception>
#include <optional>
#include <string>

#include "nettopo/lab.h"

namespace nettopo::testing {

/// Why labs cannot be brought up by this process, or "" when they can: they need root.
inline std::string why_no_labs() {
  return ::geteuid() == 0 ? std::string()
                          : "bringing a lab up needs root (run the test binary with sudo)";
}

/// One lab for a whole test suite, brought up before its first test and taken down after its
/// last (and, should TearDownTestSuite never run, when the program exits). `Suite` derives from
/// LabSuite<Suite> and says which lab with a static function:
///
///   class Ospf : public nettopo::testing::LabSuite<Ospf> {
///    public:
///     static nettopo::api::LabFile lab_file() { return nettopo::api::LabFile::load("ospf.toml"); }
///   };
///   TEST_F(Ospf, Converges) { EXPECT_TRUE(lab().check().passed()); }
///
/// The lab runs under unique_lab_name(its name). Each test is skipped, with the reason printed,
/// when not root; it fails, with the reason, when the lab did not come up. Tests share the lab,
/// so a test that changes a link should change it back.
template <class Suite>
class LabSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    error_.clear();
    if (!why_no_labs().empty()) return;
    try {
      api::LabFile file = Suite::lab_file();
      lab_.emplace(api::Lab::up(file.with_name(api::unique_lab_name(file.name()))));
    } catch (const std::exception& failure) {
      error_ = failure.what();
    }
  }
  static void TearDownTestSuite() { lab_.reset(); }

 protected:
  void SetUp() override {
    if (auto why = why_no_labs(); !why.empty()) GTEST_SKIP() << why;
    if (!lab_) FAIL() << "the suite's lab did not come up: " << error_;
  }
  /// The suite's running lab.
  static api::Lab& lab() { return *lab_; }

 private:
  static inline std::optional<api::Lab> lab_;
  static inline std::string error_;
};

/// A fresh lab for every test, brought up in SetUp and taken down in TearDown (and by its
/// destructor should a test end any other way). `Fixture` says which lab as for LabSuite:
///
///   class Failover : public nettopo::testing::LabTest<Failover> {
///    public:
///     static nettopo::api::LabFile lab_file() { return nettopo::api::LabFile::parse(kToml); }
///   };
template <class Fixture>
class LabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = why_no_labs(); !why.empty()) GTEST_SKIP() << why;
    try {
      api::LabFile file = Fixture::lab_file();
      lab_.emplace(api::Lab::up(file.with_name(api::unique_lab_name(file.name()))));
    } catch (const std::exception& failure) {
      FAIL() << "the test's lab did not come up: " << failure.what();
    }
  }
  void TearDown() override { lab_.reset(); }
  /// This test's running lab.
  api::Lab& lab() { return *lab_; }

 private:
  std::optional<api::Lab> lab_;
};

}  // namespace nettopo::testing
