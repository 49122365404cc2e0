#pragma once

// A recording fake of the kernel: it writes each operation as --dry-run does, records the
// waits, and keeps just enough state to refuse an order the real kernel would refuse (a link
// used before it exists, a gateway before its subnet, a namespace before its init is ready), so
// that a plan that passes here is one the kernel can apply. Needs no root.

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/describing_kernel.h"
#include "core/sys/error.h"

namespace nettopo::testing {

class FakeKernel : public DescribingKernel {
 public:
  explicit FakeKernel(const LabPlan& plan) : DescribingKernel(plan, text_) {}

  /// Every operation and wait, in order: the --dry-run line, or "wait NAMESPACES" etc.
  const std::vector<std::string>& operations() const { return operations_; }
  /// The operations without the waits: what --dry-run prints.
  std::string described() const { return text_; }
  /// Makes the operation whose line starts with `prefix` fail with Error, like the kernel would.
  void fail_at(const std::string& prefix) { fail_at_ = prefix; }

  void apply(const step::WriteRuntimeFiles& step) override {
    record([&] { DescribingKernel::apply(step); });
    files_written_ = true;
  }
  void apply(const step::StartNamespace& step) override {
    require(files_written_, "namespace started before the runtime files exist");
    record([&] { DescribingKernel::apply(step); });
    started_.insert(step.ns);
  }
  void apply(const step::NameNamespace& step) override {
    require_ready(step.ns);
    record([&] { DescribingKernel::apply(step); });
    names_sent_ = true;
  }
  void apply(const step::WriteSysctl& step) override {
    size_t ns = plan_.sysctls[step.sysctl].owner;
    require_ready(ns);
    // Set before any interface exists, so that new interfaces inherit the "default" values.
    for (const auto& [key, state] : links_)
      require(key.first != ns, "sysctl written after an interface exists in " + name(ns));
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::CreateBridge& step) override {
    require_ready(step.ns);
    record([&] { DescribingKernel::apply(step); });
    create(step.ns, 2);
  }
  void apply(const step::CreateVeth& step) override {
    const auto& veth = plan_.veths[step.veth];
    for (size_t end : {veth.a, veth.b}) require_ready(plan_.interfaces[end].owner);
    record([&] { DescribingKernel::apply(step); });
    for (size_t end : {veth.a, veth.b})
      create(plan_.interfaces[end].owner, plan_.interfaces[end].ifindex);
  }
  void apply(const step::AttachPort& step) override {
    const auto& interface = plan_.interfaces[step.interface];
    require_link(interface.owner, interface.ifindex);
    require_link(interface.owner, interface.master_ifindex);
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::AddAddress& step) override {
    const auto& interface = plan_.interfaces[step.interface];
    if (interface.ifindex == 1)
      require_ready(interface.owner);  // lo: in every network namespace from the start
    else
      require_link(interface.owner, interface.ifindex);
    record([&] { DescribingKernel::apply(step); });
    addresses_sent_[interface.owner].push_back(interface.addresses[step.address]);
  }
  void apply(const step::SetUp& step) override {
    if (step.ifindex != 1) require_link(step.ns, step.ifindex);
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::AddRoute& step) override {
    const auto& route = plan_.routes[step.route];
    if (route.oif) require_link(route.owner, route.oif);
    if (route.via) {
      bool connected = false;
      for (const auto& address : addresses_[route.owner])
        connected = connected || address.network().contains(*route.via);
      require(connected, "route via " + route.via->to_string() + " in " + name(route.owner) +
                             " before an address on its subnet is in place");
    }
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::AddNetem& step) override {
    const auto& interface = plan_.interfaces[step.interface];
    require_link(interface.owner, interface.ifindex);
    record([&] { DescribingKernel::apply(step); });
    netem_.insert(step.interface);
  }
  void apply(const step::AddTbf& step) override {
    const auto& interface = plan_.interfaces[step.interface];
    require_link(interface.owner, interface.ifindex);
    if (needs_netem(interface.impairments))
      require(netem_.count(step.interface) == 1, "tbf under a netem that is not there yet");
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::AddLossFilter& step) override {
    const auto& interface = plan_.interfaces[step.interface];
    require_link(interface.owner, interface.ifindex);
    require(!needs_netem(interface.impairments), "a loss filter where netem carries the loss");
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::RunExec& step) override {
    require(network_done(), "exec step before the network is in place");
    record([&] { DescribingKernel::apply(step); });
    exec_sent_ = true;
  }
  void apply(const step::StartProgram& step) override {
    require(network_done() && !exec_sent_, "program started before the exec steps ended");
    record([&] { DescribingKernel::apply(step); });
  }
  void apply(const step::Wait& step) override {
    static const char* const kNames[] = {"NAMESPACES", "NETLINK", "NAMES", "EXEC"};
    operations_.push_back(std::string("wait ") + kNames[step.what]);
    switch (step.what) {
      case step::Wait::kNamespaces:
        ready_.insert(started_.begin(), started_.end());
        break;
      case step::Wait::kNetlink:
        for (auto& [key, done] : links_) done = true;
        for (auto& [ns, sent] : addresses_sent_)
          addresses_[ns].insert(addresses_[ns].end(), sent.begin(), sent.end());
        addresses_sent_.clear();
        break;
      case step::Wait::kNames:
        names_sent_ = false;
        break;
      case step::Wait::kExec:
        exec_sent_ = false;
        break;
    }
  }

 private:
  template <class Describe>
  void record(Describe describe) {
    size_t before = text_.size();
    describe();
    std::string added = text_.substr(before);
    for (size_t at = 0; at < added.size();) {
      size_t end = added.find('\n', at);
      operations_.push_back(added.substr(at, end - at));
      at = end + 1;
    }
    if (!fail_at_.empty() && added.starts_with(fail_at_))
      throw Error("fake kernel: " + added.substr(0, added.size() - 1) + ": refused");
  }
  void require(bool condition, const std::string& what) const {
    if (!condition) throw std::logic_error("the plan is out of order: " + what);
  }
  std::string name(size_t ns) const { return plan_.namespaces[ns].name; }
  void require_ready(size_t ns) const {
    require(ready_.count(ns) == 1, name(ns) + " used before its init is ready");
  }
  void create(size_t ns, int ifindex) {
    require(links_.emplace(std::make_pair(ns, ifindex), false).second,
            "ifindex " + std::to_string(ifindex) + " twice in " + name(ns));
  }
  void require_link(size_t ns, int ifindex) const {
    auto found = links_.find({ns, ifindex});
    require(found != links_.end() && found->second, "ifindex " + std::to_string(ifindex) + " in " +
                                                        name(ns) +
                                                        " used before its creation was answered");
  }
  bool network_done() const {
    for (const auto& [key, done] : links_)
      if (!done) return false;
    return addresses_sent_.empty() && !names_sent_;
  }

  std::string text_;
  std::vector<std::string> operations_;
  std::string fail_at_;
  bool files_written_ = false;
  std::set<size_t> started_, ready_;
  std::map<std::pair<size_t, int>, bool> links_;  // (ns, ifindex) -> creation answered
  std::map<size_t, std::vector<IpPrefix>> addresses_sent_, addresses_;
  std::set<size_t> netem_;
  bool names_sent_ = false;
  bool exec_sent_ = false;
};

}  // namespace nettopo::testing
