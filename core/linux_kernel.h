#pragma once

#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/kernel.h"
#include "core/process_ref.h"
#include "core/sys/child_process.h"
#include "core/sys/scoped_netns.h"
#include "core/sys/unique_fd.h"
#include "netlink/socket.h"
#include "topology/model.h"

namespace nettopo {

class InitSpawner;
class Journal;
class RuntimeDir;

/// The file work of `up` that LinuxKernel calls back into: it belongs to the runtime directory
/// and the mount points, not to the kernel's objects.
struct LabFiles {
  /// Writes the model, the hosts file and the log directories.
  std::function<void()> write_runtime_files;
  /// The nettopo-init arguments of node `ns` (a node, not a bridge): identity and the mounts
  /// that make its view of the files.
  std::function<std::vector<std::string>(size_t ns)> node_init_arguments;
};

/// The real kernel: node inits through the zygote, rtnetlink on one socket per namespace (every
/// batch pipelined), sysctls, /run/netns names on a thread beside the netlink work, exec steps
/// and programs in the nodes. Journals each thing before making it, so that teardown finds it.
class LinuxKernel : public Kernel {
 public:
  /// All references must outlive the kernel.
  LinuxKernel(const topology::Lab& lab, const LabPlan& plan, const RuntimeDir& dir,
              Journal& journal, std::string token, LabFiles files,
              std::filesystem::path init_binary, std::chrono::milliseconds ready_timeout);
  ~LinuxKernel() override;

  void apply(const step::WriteRuntimeFiles&) override;
  void apply(const step::StartNamespace&) override;
  void apply(const step::NameNamespace&) override;
  void apply(const step::WriteSysctl&) override;
  void apply(const step::CreateBridge&) override;
  void apply(const step::CreateVeth&) override;
  void apply(const step::AttachPort&) override;
  void apply(const step::AddAddress&) override;
  void apply(const step::SetUp&) override;
  void apply(const step::AddRoute&) override;
  void apply(const step::AddNetem&) override;
  void apply(const step::AddTbf&) override;
  void apply(const step::AddLossFilter&) override;
  void apply(const step::RunExec&) override;
  void apply(const step::StartProgram&) override;
  void apply(const step::Wait&) override;

 private:
  std::string who(size_t ns) const;
  netlink::Socket& socket(size_t ns);
  /// A new handle on namespace `ns`, from its socket (SIOCGSKNS). Throws SystemError.
  UniqueFd netns_of(size_t ns) const;
  void leave_namespace();
  void start_naming();
  void finish_naming();
  void wait_for_namespaces();
  void run_exec_steps();
  /// `line` run by /bin/sh in node `ns`; its output goes nowhere until send_output_to.
  CommandSpec shell_command(size_t ns, const std::string& line) const;

  const topology::Lab& lab_;
  const LabPlan& plan_;
  const RuntimeDir& dir_;
  Journal& journal_;
  std::string token_;  ///< carried by the zygote and every init: see make_lab_token
  LabFiles files_;
  std::filesystem::path init_binary_;
  std::chrono::milliseconds ready_timeout_;

  std::unique_ptr<InitSpawner> spawner_;
  std::vector<ProcessRef> inits_;
  /// One netlink socket per namespace, opened inside it once the inits are ready; the only
  /// descriptor held per namespace (netns_of() gets the namespace back from it).
  std::vector<std::optional<netlink::Socket>> sockets_;
  /// Namespace handles named by veth requests still queued on here_: closed once sent.
  std::vector<UniqueFd> veth_namespaces_;
  std::optional<netlink::Socket> here_;  ///< in nettopo's own namespace: veths are made here
  std::optional<ScopedNetns> entered_;   ///< kept across consecutive sysctls of one namespace
  size_t entered_ns_ = 0;
  std::vector<size_t> names_pending_;
  std::exception_ptr naming_failure_;
  std::vector<step::RunExec> exec_pending_;
  std::vector<UniqueFd> loss_programs_;  ///< held until the filters using them are answered
  std::jthread naming_;                  ///< last: joined before the fds it uses are closed
};

}  // namespace nettopo
