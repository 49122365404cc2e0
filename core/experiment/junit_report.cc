#include "core/experiment/junit_report.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "core/experiment/check_runner.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

// XML 1.0 cannot carry most control characters, not even escaped: a check's output may hold
// any byte, so those become U+FFFD's ASCII stand-in '?'.
std::string xml_safe(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\n' && c != '\t' && c != '\r') c = '?';
  }
  return out;
}

}  // namespace

std::string junit_xml(const ExperimentRecord& record,
                      const std::map<std::string, std::string>& properties) {
  pugi::xml_document document;
  auto declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";

  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto& run : record.checks) {
    ++tests;
    if (run.skipped)
      ++skipped;
    else if (!run.passed)
      ++failures;
  }
  for (const auto& step : record.steps)
    if (step.outcome == "failed") ++tests, ++errors;
  if (!record.error.empty()) ++tests, ++errors;

  auto suites = document.append_child("testsuites");
  suites.append_attribute("name") = "nettopo";
  suites.append_attribute("tests") = std::to_string(tests).c_str();
  suites.append_attribute("failures") = std::to_string(failures).c_str();
  suites.append_attribute("errors") = std::to_string(errors).c_str();
  suites.append_attribute("time") = seconds_text(record.seconds).c_str();

  auto suite = suites.append_child("testsuite");
  suite.append_attribute("name") = record.lab.c_str();
  suite.append_attribute("tests") = std::to_string(tests).c_str();
  suite.append_attribute("failures") = std::to_string(failures).c_str();
  suite.append_attribute("errors") = std::to_string(errors).c_str();
  suite.append_attribute("skipped") = std::to_string(skipped).c_str();
  suite.append_attribute("time") = seconds_text(record.seconds).c_str();
  suite.append_attribute("timestamp") = record.started_at.c_str();
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  suite.append_attribute("hostname") = host;
  suite.append_attribute("file") = record.lab_file.c_str();

  auto list = suite.append_child("properties");
  for (const auto& [name, value] : properties) {
    auto property = list.append_child("property");
    property.append_attribute("name") = name.c_str();
    property.append_attribute("value") = xml_safe(value).c_str();
  }

  for (const auto& run : record.checks) {
    auto testcase = suite.append_child("testcase");
    std::string name = run.check + " (on " + run.node + ")";
    if (!run.context.empty()) name += " " + run.context;
    testcase.append_attribute("name") = name.c_str();
    testcase.append_attribute("classname") = (record.lab + "." + run.node).c_str();
    testcase.append_attribute("time") = seconds_text(run.seconds).c_str();
    testcase.append_attribute("timestamp") = run.started_at.c_str();
    if (run.skipped) {
      testcase.append_child("skipped").append_attribute("message") =
          "not run: an earlier failure stopped the scenario";
    } else if (!run.passed) {
      auto failure = testcase.append_child("failure");
      failure.append_attribute("message") = xml_safe(run.failure).c_str();
      failure.append_attribute("type") = "check";
      failure.text().set(xml_safe(tail_lines(run.output, 50)).c_str());
    }
  }
  for (const auto& step : record.steps) {
    if (step.outcome != "failed") continue;
    auto testcase = suite.append_child("testcase");
    testcase.append_attribute("name") =
        ("step " + std::to_string(step.number) + ": " + step.name).c_str();
    testcase.append_attribute("classname") = (record.lab + ".steps").c_str();
    testcase.append_attribute("time") = seconds_text(step.seconds).c_str();
    testcase.append_attribute("timestamp") = step.started_at.c_str();
    auto error = testcase.append_child("error");
    error.append_attribute("message") = xml_safe(step.error).c_str();
    error.append_attribute("type") = step.kind.c_str();
  }
  if (!record.error.empty()) {
    auto testcase = suite.append_child("testcase");
    testcase.append_attribute("name") = "lab";
    testcase.append_attribute("classname") = record.lab.c_str();
    auto error = testcase.append_child("error");
    error.append_attribute("message") = xml_safe(record.error).c_str();
    error.append_attribute("type") = "lab";
  }
  std::ostringstream out;
  document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void write_junit(const ExperimentRecord& record,
                 const std::map<std::string, std::string>& properties,
                 const std::filesystem::path& path) {
  std::ofstream file(path, std::ios::trunc);
  file << junit_xml(record, properties);
  if (!file.flush()) throw SystemError("write", path.string());
}

}  // namespace nettopo
