#include "netlink/bpf_filter.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/sys/error.h"
#include "netlink/attribute.h"
#include "netlink/socket.h"
#include "netlink/tc_message.h"

namespace nettopo::netlink {
namespace {

constexpr uint64_t kTwoTo32 = uint64_t{1} << 32;

// The instruction forms the programs need (linux/filter.h's macros are not exported to user
// space). Registers: r0 return value and helper result, r1-r5 helper arguments.
bpf_insn mov64_imm(uint8_t dst, int32_t imm) {
  return bpf_insn{BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm};
}
bpf_insn call(int32_t helper) { return bpf_insn{BPF_JMP | BPF_CALL, 0, 0, 0, helper}; }
bpf_insn exit_insn() { return bpf_insn{BPF_JMP | BPF_EXIT, 0, 0, 0, 0}; }
// if dst >= src (unsigned, 64 bits) skip `offset` instructions.
bpf_insn jge_reg(uint8_t dst, uint8_t src, int16_t offset) {
  return bpf_insn{BPF_JMP | BPF_JGE | BPF_X, dst, src, offset, 0};
}
// A 64-bit immediate takes two instruction slots: the low half, then the high half. (A 32-bit
// immediate is sign-extended, which would turn a threshold above 2^31 into a huge number.)
void ld_imm64(std::vector<bpf_insn>& program, uint8_t dst, uint64_t value) {
  program.push_back(bpf_insn{BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0,
                             static_cast<int32_t>(static_cast<uint32_t>(value))});
  program.push_back(bpf_insn{0, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(value >> 32))});
}

// A filter's tcm_info: its preference in the upper half, its protocol (network order) below.
uint32_t filter_info(uint16_t priority) {
  return TC_H_MAKE(uint32_t{priority} << 16, htons(ETH_P_ALL));
}

constexpr const char* kNoClsactHint = "the kernel has no clsact qdisc (CONFIG_NET_SCH_INGRESS)";
constexpr const char* kNoClsBpfHint = "the kernel has no cls_bpf classifier (CONFIG_NET_CLS_BPF)";

}  // namespace

uint32_t clsact_parent(ClsactHook hook) {
  return TC_H_MAKE(TC_H_CLSACT, hook == ClsactHook::Ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
}

uint64_t drop_threshold(double percent) {
  if (!(percent > 0)) return 0;  // also NaN
  if (percent >= 100) return kTwoTo32;
  return std::min<uint64_t>(
      static_cast<uint64_t>(std::llround(percent / 100.0 * static_cast<double>(kTwoTo32))),
      kTwoTo32);
}

std::vector<bpf_insn> drop_program(double percent) {
  std::vector<bpf_insn> program;
  uint64_t threshold = drop_threshold(percent);
  if (threshold >= kTwoTo32) {
    program.push_back(mov64_imm(BPF_REG_0, TC_ACT_SHOT));
    program.push_back(exit_insn());
    return program;
  }
  // r0 = bpf_get_prandom_u32(); if (r0 >= threshold) return TC_ACT_OK; return TC_ACT_SHOT;
  program.push_back(call(BPF_FUNC_get_prandom_u32));
  ld_imm64(program, BPF_REG_1, threshold);
  program.push_back(jge_reg(BPF_REG_0, BPF_REG_1, 2));
  program.push_back(mov64_imm(BPF_REG_0, TC_ACT_SHOT));
  program.push_back(exit_insn());
  program.push_back(mov64_imm(BPF_REG_0, TC_ACT_OK));
  program.push_back(exit_insn());
  return program;
}

UniqueFd load_sched_cls_program(std::span<const bpf_insn> program, const std::string& name) {
  static const char kLicense[] = "GPL";
  auto load = [&](char* log, uint32_t log_size) {
    bpf_attr attr{};
    attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
    attr.insns = reinterpret_cast<uint64_t>(program.data());
    attr.insn_cnt = static_cast<uint32_t>(program.size());
    attr.license = reinterpret_cast<uint64_t>(kLicense);
    std::strncpy(attr.prog_name, name.c_str(), sizeof attr.prog_name - 1);
    if (log != nullptr) {
      attr.log_buf = reinterpret_cast<uint64_t>(log);
      attr.log_size = log_size;
      attr.log_level = 1;
    }
    return static_cast<int>(::syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr));
  };
  int fd = load(nullptr, 0);
  if (fd >= 0) return UniqueFd(fd);
  int error = errno;
  std::string detail;
  if (error == ENOSYS) {
    detail = "the kernel has no bpf() system call (CONFIG_BPF_SYSCALL)";
  } else if (error == EPERM) {
    detail = "loading BPF programs needs CAP_BPF and CAP_NET_ADMIN (or CAP_SYS_ADMIN)";
  } else if (error == EINVAL || error == EACCES) {
    // Load again with the verifier's log: it says which instruction it refused and why.
    std::string log(size_t{64} * 1024, '\0');
    int again = load(log.data(), static_cast<uint32_t>(log.size()));
    if (again >= 0) return UniqueFd(again);
    log.resize(std::strlen(log.c_str()));
    while (!log.empty() && (log.back() == '\n' || log.back() == ' ')) log.pop_back();
    if (!log.empty()) detail = "verifier: " + log;
  }
  throw SystemError("load BPF program", name, error, detail);
}

Request clsact_request(int ifindex) {
  Request request(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL,
                  tc_header(ifindex, TC_H_MAKE(TC_H_CLSACT, 0), TC_H_CLSACT));
  request.put(TCA_KIND, "clsact");
  request.explain(ENOENT, kNoClsactHint).explain(EOPNOTSUPP, kNoClsactHint);
  return request;
}

Request clsact_delete_request(int ifindex) {
  return Request(RTM_DELQDISC, 0, tc_header(ifindex, TC_H_MAKE(TC_H_CLSACT, 0), TC_H_CLSACT));
}

Request bpf_filter_request(int ifindex, ClsactHook hook, int program_fd, const std::string& name) {
  Request request(
      RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_REPLACE,
      tc_header(ifindex, kBpfFilterHandle, clsact_parent(hook), filter_info(kBpfFilterPriority)));
  request.put(TCA_KIND, "bpf");
  request.nest(TCA_OPTIONS, [&] {
    request.put(TCA_BPF_FD, static_cast<uint32_t>(program_fd));
    request.put(TCA_BPF_NAME, name);
    request.put(TCA_BPF_FLAGS, static_cast<uint32_t>(TCA_BPF_FLAG_ACT_DIRECT));
  });
  request.explain(ENOENT, kNoClsBpfHint).explain(EOPNOTSUPP, kNoClsBpfHint);
  return request;
}

Request bpf_filter_delete_request(int ifindex, ClsactHook hook) {
  // Handle 0 with a preference removes every filter of that preference: ours.
  return Request(RTM_DELTFILTER, 0,
                 tc_header(ifindex, 0, clsact_parent(hook), filter_info(kBpfFilterPriority)));
}

BpfFilterInfo parse_filter(const nlmsghdr* message) {
  TcMessage read = read_tc_message(message, RTM_NEWTFILTER, "RTM_NEWTFILTER");
  BpfFilterInfo filter;
  filter.ifindex = read.header->tcm_ifindex;
  filter.parent = read.header->tcm_parent;
  filter.handle = read.header->tcm_handle;
  filter.priority = static_cast<uint16_t>(TC_H_MAJ(read.header->tcm_info) >> 16);
  filter.kind = std::move(read.kind);
  const nlattr* options = read.options;
  if (options == nullptr || filter.kind != "bpf") return filter;
  if (const nlattr* name = find_nested(options, TCA_BPF_NAME);
      name && mnl_attr_validate(name, MNL_TYPE_NUL_STRING) >= 0)
    filter.name = mnl_attr_get_str(name);
  if (const nlattr* id = find_nested(options, TCA_BPF_ID);
      id && mnl_attr_validate(id, MNL_TYPE_U32) >= 0)
    filter.program_id = mnl_attr_get_u32(id);
  if (const nlattr* flags = find_nested(options, TCA_BPF_FLAGS);
      flags && mnl_attr_validate(flags, MNL_TYPE_U32) >= 0)
    filter.direct_action = (mnl_attr_get_u32(flags) & TCA_BPF_FLAG_ACT_DIRECT) != 0;
  return filter;
}

std::vector<BpfFilterInfo> list_filters(Socket& socket, int ifindex, ClsactHook hook) {
  Request request(RTM_GETTFILTER, 0, tc_header(ifindex, 0, clsact_parent(hook)));
  std::vector<BpfFilterInfo> filters;
  try {
    socket.dump(
        request,
        [&](const nlmsghdr* message) {
          // A dump repeats each classifier once without a handle (its header): skip those.
          BpfFilterInfo filter = parse_filter(message);
          if (filter.handle != 0) filters.push_back(std::move(filter));
        },
        "list filters on", "ifindex " + std::to_string(ifindex));
  } catch (const NetlinkError& error) {
    // No clsact qdisc, so no such parent: no filters.
    if (error.error_number() == EINVAL || error.error_number() == ENOENT) return {};
    throw;
  }
  return filters;
}

}  // namespace nettopo::netlink
