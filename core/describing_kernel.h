#pragma once

#include <string>

#include "core/kernel.h"

namespace nettopo {

/// A kernel that does nothing and writes what it is asked, one line per operation
/// ("NODE: WHAT"), for `up --dry-run`. Waits write nothing: they change no state.
class DescribingKernel : public Kernel {
 public:
  /// Appends to `out`, which must outlive the kernel.
  DescribingKernel(const LabPlan& plan, std::string& out) : plan_(plan), out_(out) {}

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
  void apply(const step::Wait&) override {}

 protected:
  /// One line of output: "OWNER: WHAT".
  void line(const std::string& owner, const std::string& what);
  void line(size_t ns, const std::string& what) { line(plan_.namespaces[ns].name, what); }

  const LabPlan& plan_;

 private:
  std::string& out_;
};

}  // namespace nettopo
