// capture: packets on one interface of a running lab, as a pcap file or a pcap stream on stdout.
// Built on libpcap, opened inside the node's network namespace: no tcpdump needed.

#include <pcap/pcap.h>
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <iostream>

#include "core/cli/command.h"
#include "core/running_lab.h"
#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"
#include "topology/impairment_parser.h"

namespace nettopo::cli {
namespace {

struct CaptureOptions {
  std::optional<std::string> lab;
  std::string endpoint;
  std::string file;
  long count = 0;
  std::string duration;
  std::vector<std::string> filter;
};
CaptureOptions options;

volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

// Owns a pcap handle and its dumper.
struct Capture {
  pcap_t* handle = nullptr;
  pcap_dumper_t* dumper = nullptr;
  ~Capture() {
    if (dumper) pcap_dump_close(dumper);
    if (handle) pcap_close(handle);
  }
};

struct DumpState {
  pcap_dumper_t* dumper;
  bool flush_each;
  long written = 0;
};

void write_packet(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
  auto& state = *reinterpret_cast<DumpState*>(user);
  pcap_dump(reinterpret_cast<u_char*>(state.dumper), header, bytes);
  // A reader at the other end of a pipe (wireshark -k -i -) sees each packet as it comes.
  if (state.flush_each) pcap_dump_flush(state.dumper);
  ++state.written;
}

int capture(const GlobalOptions& global) {
  require_root("nettopo capture", "it opens a packet socket inside the node's namespace");
  auto colon = options.endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == options.endpoint.size())
    throw UsageError("capture: '" + options.endpoint + "' is not NODE:INTERFACE (e.g. h1:eth0)");
  std::string owner = options.endpoint.substr(0, colon);
  std::string interface = options.endpoint.substr(colon + 1);
  std::optional<std::chrono::microseconds> duration;
  if (!options.duration.empty()) {
    auto us = topology::parse_duration_us(options.duration);
    if (!us)
      throw UsageError("capture: --duration '" + options.duration + "' is not a time (e.g. 10s)");
    duration = std::chrono::microseconds(*us);
  }
  if (options.count < 0) throw UsageError("capture: -c must be positive");
  bool to_stdout = options.file.empty() || options.file == "-";
  if (to_stdout && ::isatty(STDOUT_FILENO))
    throw UsageError(
        "capture: pcap on a terminal is unreadable: give -w FILE.pcap or a pipe, e.g. "
        "| wireshark -k -i -");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, owner));
  std::string filter;
  for (const auto& word : options.filter) filter += (filter.empty() ? "" : " ") + word;

  Capture capture;
  char error[PCAP_ERRBUF_SIZE] = "";
  std::string what = "capture on " + options.endpoint + " in lab " + lab.dir.lab();
  {
    // The packet socket belongs to the namespace it is made in; then we come back.
    UniqueFd netns = open_namespace((lab.dir.netns_dir() / owner).string());
    ScopedNetns inside(netns);
    capture.handle = pcap_create(interface.c_str(), error);
    if (!capture.handle) throw Error(what + ": " + error);
    pcap_set_snaplen(capture.handle, 262144);
    pcap_set_immediate_mode(capture.handle, 1);
    pcap_set_timeout(capture.handle, 100);
    int status = pcap_activate(capture.handle);
    if (status < 0) {
      std::string reason = status == PCAP_ERROR_NO_SUCH_DEVICE
                               ? owner + " has no interface " + interface
                               : std::string(pcap_geterr(capture.handle));
      throw Error(what + ": " + reason);
    }
  }
  if (!filter.empty()) {
    bpf_program program{};
    if (pcap_compile(capture.handle, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      throw UsageError("capture: filter '" + filter + "': " + pcap_geterr(capture.handle));
    int set = pcap_setfilter(capture.handle, &program);
    pcap_freecode(&program);
    if (set != 0) throw Error(what + ": set filter: " + pcap_geterr(capture.handle));
  }
  capture.dumper = pcap_dump_open(capture.handle, to_stdout ? "-" : options.file.c_str());
  if (!capture.dumper) throw Error(what + ": " + pcap_geterr(capture.handle));
  pcap_dump_flush(capture.dumper);  // the header is on disk: a reader may open the file now
  if (pcap_setnonblock(capture.handle, 1, error) != 0) throw Error(what + ": " + error);
  if (!global.quiet)
    std::cerr << "capturing on " << options.endpoint << (filter.empty() ? "" : " (" + filter + ")")
              << (to_stdout ? "" : " into " + options.file) << "; ^C stops\n";

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGPIPE, request_stop);
  DumpState state{capture.dumper, to_stdout};
  auto start = std::chrono::steady_clock::now();
  pollfd watched{pcap_get_selectable_fd(capture.handle), POLLIN, 0};
  while (!stop_requested && (options.count == 0 || state.written < options.count)) {
    int wait_ms = 200;
    if (duration) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *duration - (std::chrono::steady_clock::now() - start));
      if (left.count() <= 0) break;
      wait_ms = static_cast<int>(std::min<long>(left.count(), wait_ms));
    }
    ::poll(&watched, 1, wait_ms);
    int budget = options.count == 0 ? -1 : static_cast<int>(options.count - state.written);
    int got =
        pcap_dispatch(capture.handle, budget, write_packet, reinterpret_cast<u_char*>(&state));
    if (got == PCAP_ERROR) throw Error(what + ": " + pcap_geterr(capture.handle));
  }
  pcap_dump_flush(capture.dumper);
  if (!global.quiet) {
    pcap_stat stats{};
    std::cerr << state.written << (state.written == 1 ? " packet" : " packets") << " captured";
    if (pcap_stats(capture.handle, &stats) == 0 && stats.ps_drop > 0)
      std::cerr << ", " << stats.ps_drop << " dropped by the kernel";
    std::cerr << "\n";
  }
  return 0;
}

}  // namespace

std::vector<Command> capture_commands() {
  return {
      {"capture", "Capture packets on a node's interface into a pcap file (libpcap)",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab,
                        "the lab (needed only when several labs have NODE)");
         app.add_option("endpoint", options.endpoint, "NODE:INTERFACE, e.g. h1:eth0")->required();
         app.add_option("-w", options.file, "write to FILE.pcap (default: pcap to stdout)");
         app.add_option("-c", options.count, "stop after COUNT packets");
         app.add_option("--duration", options.duration, "stop after this long, e.g. 10s");
         app.add_option("filter", options.filter, "a pcap-filter(7) expression, e.g. icmp");
         app.footer(
             "Stops at ^C, after -c packets or after --duration. The file reads in tcpdump -r and\n"
             "Wireshark.\nExamples:\n"
             "  sudo nettopo capture h1:eth0 -w h1.pcap -c 10 icmp\n"
             "  sudo nettopo capture r1:eth1 | wireshark -k -i -");
       },
       capture},
  };
}

}  // namespace nettopo::cli
