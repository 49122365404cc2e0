#include "core/experiment/check_runner.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>

#include "core/experiment/node_command.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kOutputLimit = size_t{64} * 1024;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string read_output(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  std::string all = text.str();
  return all.size() > kOutputLimit ? all.substr(all.size() - kOutputLimit) : all;
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", seconds);
  return text;
}

// One check on one node while it is being run.
struct Pending {
  const topology::Check* check = nullptr;
  std::string node;
  std::optional<std::regex> expect;
  std::filesystem::path output;
  Clock::time_point started;
  Clock::time_point deadline;  // of the whole check: `within`, or one attempt's limit
  Clock::time_point next_attempt;
  std::unique_ptr<NodeCommand> attempt;
  bool done = false;
  CheckRun run;
};

}  // namespace

std::string tail_lines(const std::string& text, size_t lines) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t start = end;
  for (size_t found = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++found == lines) break;
  }
  return text.substr(start, end - start);
}

std::string describe(const CheckRun& run) {
  std::string line = std::string(run.passed    ? "PASS"
                                 : run.skipped ? "SKIP"
                                               : "FAIL") +
                     "  " + run.check + " (on " + run.node + ")";
  if (!run.context.empty()) line += " " + run.context;
  if (run.skipped) return line;
  line += "  " + seconds_text(run.seconds);
  if (run.passed) {
    if (run.attempts > 1) line += " (" + std::to_string(run.attempts) + " attempts)";
    return line;
  }
  line += ": " + run.failure;
  std::string tail = tail_lines(run.output, 5);
  if (!tail.empty()) {
    std::istringstream lines(tail);
    for (std::string each; std::getline(lines, each);) line += "\n      | " + each;
  }
  return line;
}

std::vector<const topology::Check*> initial_checks(const std::vector<topology::Check>& checks) {
  std::vector<const topology::Check*> initial;
  for (const auto& check : checks)
    if (check.initially) initial.push_back(&check);
  return initial;
}

std::vector<CheckRun> run_checks(const RunningLab& lab,
                                 const std::vector<const topology::Check*>& checks,
                                 const CheckOptions& options) {
  std::filesystem::create_directories(options.scratch);
  std::vector<Pending> pending;
  auto now = Clock::now();
  for (const auto* check : checks) {
    for (const auto& node : check->nodes) {
      Pending each;
      each.check = check;
      each.node = node;
      if (check->expect) each.expect.emplace(*check->expect, std::regex::ECMAScript);
      each.output = options.scratch / ("check-" + std::to_string(pending.size()) + ".out");
      each.started = now;
      each.deadline =
          now + (check->within_us
                     ? std::chrono::duration_cast<Clock::duration>(
                           std::chrono::microseconds(*check->within_us))
                     : std::chrono::duration_cast<Clock::duration>(kSingleAttemptLimit));
      each.next_attempt = now;
      each.run.check = check->name;
      each.run.node = node;
      each.run.context = options.context;
      each.run.started = seconds_between(options.epoch, now);
      each.run.started_at = iso_time_now();
      pending.push_back(std::move(each));
    }
  }

  auto finish = [&](Pending& each, bool passed, std::string failure) {
    auto at = Clock::now();
    each.done = true;
    each.run.passed = passed;
    each.run.failure = std::move(failure);
    each.run.seconds = seconds_between(each.started, at);
    each.attempt.reset();
    spdlog::info("check {} on {}: {} after {:.3f} s, {} attempt(s)", each.run.check, each.node,
                 passed ? "passed" : "failed", each.run.seconds, each.run.attempts);
    if (options.on_done) options.on_done(each.run);
  };

  size_t remaining = pending.size();
  while (remaining > 0) {
    if (options.checkpoint) options.checkpoint();
    now = Clock::now();
    // Start the attempts that are due.
    for (auto& each : pending) {
      if (each.done || each.attempt || now < each.next_attempt) continue;
      { std::ofstream emptied(each.output, std::ios::trunc); }  // the spawn appends
      ++each.run.attempts;
      each.attempt = std::make_unique<NodeCommand>(lab, each.node, each.check->run, each.output);
    }
    // Wait for an attempt to end, the next attempt to be due, or a deadline.
    std::vector<struct pollfd> fds;
    auto wake = now + std::chrono::seconds(1);
    for (auto& each : pending) {
      if (each.done) continue;
      if (each.attempt) {
        fds.push_back({each.attempt->pidfd(), POLLIN, 0});
        wake = std::min(wake, each.deadline);
      } else {
        wake = std::min(wake, each.next_attempt);
      }
    }
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    if (wait_ms > 0 && ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 &&
        errno != EINTR)
      throw SystemError("poll", "the checks' processes");
    now = Clock::now();
    // Look at every attempt that ended or ran out of time.
    for (auto& each : pending) {
      if (each.done || !each.attempt) continue;
      auto status = each.attempt->poll();
      if (!status) {
        if (now < each.deadline) continue;
        each.attempt->kill();
        each.attempt->wait_until(Clock::now() + std::chrono::seconds(5));
        each.run.exit_status.reset();
        each.run.output = read_output(each.output);
        --remaining;
        finish(
            each, false,
            each.check->within_us
                ? "did not pass within " +
                      seconds_text(seconds_between(each.started, each.deadline)) +
                      " (the last attempt was still running)"
                : "timed out after " + seconds_text(seconds_between(each.started, each.deadline)));
        continue;
      }
      each.attempt.reset();
      each.run.exit_status = *status;
      each.run.output = read_output(each.output);
      bool matched = !each.expect || std::regex_search(each.run.output, *each.expect);
      if (*status == 0 && matched) {
        --remaining;
        finish(each, true, "");
        continue;
      }
      std::string why = *status != 0 ? "exit status " + std::to_string(*status)
                                     : "output does not match '" + *each.check->expect + "'";
      if (!each.check->within_us || now + kRetryInterval >= each.deadline) {
        --remaining;
        if (each.check->within_us)
          why += " (still failing after " + seconds_text(seconds_between(each.started, now)) +
                 ", " + std::to_string(each.run.attempts) + " attempts)";
        finish(each, false, why);
        continue;
      }
      each.next_attempt = now + kRetryInterval;
    }
  }
  std::vector<CheckRun> runs;
  runs.reserve(pending.size());
  for (auto& each : pending) runs.push_back(std::move(each.run));
  return runs;
}

}  // namespace nettopo
