// validate and graph: read a lab file, never touch the system.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/cli/command.h"
#include "core/cli/diagnostics_report.h"
#include "core/sys/error.h"
#include "topology/dot_export.h"
#include "topology/lab_json.h"
#include "topology/summary.h"

namespace nettopo::cli {
namespace {

struct FileOptions {
  std::string file;
  std::string format = "dot";
  std::string output;
};
FileOptions file_options;

int validate(const GlobalOptions& global) {
  topology::Lab lab = load_or_report(file_options.file);
  if (!global.quiet) std::cout << topology::summarize(lab) << "\n";
  return 0;
}

// The version of graph's JSON output (docs/json.md, docs/schema/graph.schema.json): it changes
// only when a field is removed, renamed or changes meaning; new fields keep it.
constexpr int kGraphSchemaVersion = 1;

int graph(const GlobalOptions&) {
  topology::Lab lab = load_or_report(file_options.file);
  // JSON is streamed: with static routes it grows with the square of the lab (lab_json.h).
  auto write = [&](std::ostream& out) {
    if (file_options.format == "json")
      topology::write_json(out, lab, kGraphSchemaVersion);
    else
      out << topology::to_dot(lab);
  };
  if (file_options.output.empty() || file_options.output == "-") {
    write(std::cout);
  } else {
    std::ofstream out(file_options.output);
    write(out);
    if (!out.flush()) throw SystemError("write", file_options.output);
  }
  return 0;
}

}  // namespace

std::vector<Command> file_commands() {
  return {
      {"validate", "Check a lab file and print a one-line summary; list every error with its line",
       [](CLI::App& app) {
         app.add_option("file", file_options.file, "the lab file (TOML)")->required();
         app.footer(
             "Exit status: 0 when the file is valid, 2 when it has errors.\n"
             "Example: nettopo validate examples/triangle.toml");
       },
       validate},
      {"graph", "Print the lab as Graphviz DOT, or its fully resolved model as JSON",
       [](CLI::App& app) {
         app.add_option("file", file_options.file, "the lab file (TOML)")->required();
         app.add_option("--format,-f", file_options.format, "dot (default) or json (docs/json.md)")
             ->check(CLI::IsMember({"dot", "json"}));
         app.add_option("--output,-o", file_options.output, "write here instead of stdout");
         app.footer(
             "Examples:\n  nettopo graph examples/triangle.toml | dot -Tsvg > triangle.svg\n"
             "  nettopo graph --format json examples/triangle.toml   # every address and route");
       },
       graph},
  };
}

}  // namespace nettopo::cli
