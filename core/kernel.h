#pragma once

#include "core/lab_plan.h"

namespace nettopo {

/// What the plan executor asks of the system, one operation per kind of step (lab_plan.h). Each
/// implementation is built for one plan and reads the step's objects from it.
///
/// - LinuxKernel (linux_kernel.h): the real one; namespaces, rtnetlink, mounts, processes.
/// - DescribingKernel (describing_kernel.h): writes one line per operation, for --dry-run.
/// - tests/unit/core: a recording fake, so that the plan of a lab file is checked without root.
///
/// An operation may only send its request and leave the answer for the next Wait of its kind;
/// operations throw the house error types, naming the node and the operation.
class Kernel {
 public:
  virtual ~Kernel() = default;

  virtual void apply(const step::WriteRuntimeFiles&) = 0;
  virtual void apply(const step::StartNamespace&) = 0;
  virtual void apply(const step::NameNamespace&) = 0;
  virtual void apply(const step::WriteSysctl&) = 0;
  virtual void apply(const step::CreateBridge&) = 0;
  virtual void apply(const step::CreateVeth&) = 0;
  virtual void apply(const step::AttachPort&) = 0;
  virtual void apply(const step::AddAddress&) = 0;
  virtual void apply(const step::SetUp&) = 0;
  virtual void apply(const step::AddRoute&) = 0;
  virtual void apply(const step::AddNetem&) = 0;
  virtual void apply(const step::AddTbf&) = 0;
  virtual void apply(const step::AddLossFilter&) = 0;
  virtual void apply(const step::RunExec&) = 0;
  virtual void apply(const step::StartProgram&) = 0;
  virtual void apply(const step::Wait&) = 0;
};

}  // namespace nettopo
