#include "netlink/bpf_filter.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <cerrno>

#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(BpfFilter, ClsactParents) {
  EXPECT_EQ(clsact_parent(ClsactHook::Ingress), 0xFFFFFFF2u);
  EXPECT_EQ(clsact_parent(ClsactHook::Egress), 0xFFFFFFF3u);
}

TEST(BpfFilter, ClsactQdiscRequest) {
  Request request = clsact_request(4);
  EXPECT_EQ(request.type(), RTM_NEWQDISC);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  const auto& header = request.extra_header<tcmsg>();
  EXPECT_EQ(header.tcm_ifindex, 4);
  EXPECT_EQ(header.tcm_parent, TC_H_CLSACT);
  EXPECT_EQ(header.tcm_handle, 0xFFFF0000u);
  EXPECT_EQ(text(attributes_of(request.header(), sizeof(tcmsg))[TCA_KIND]), "clsact");
  ASSERT_EQ(request.error_hints().size(), 2u);
  EXPECT_EQ(request.error_hints()[0].error_number, ENOENT);

  Request remove = clsact_delete_request(4);
  EXPECT_EQ(remove.type(), RTM_DELQDISC);
  EXPECT_EQ(remove.extra_header<tcmsg>().tcm_parent, TC_H_CLSACT);
}

TEST(BpfFilter, FilterRequestIsDirectActionForEveryProtocol) {
  Request request = bpf_filter_request(3, ClsactHook::Ingress, 17, "nettopo loss 20%");
  EXPECT_EQ(request.type(), RTM_NEWTFILTER);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
  const auto& header = request.extra_header<tcmsg>();
  EXPECT_EQ(header.tcm_ifindex, 3);
  EXPECT_EQ(header.tcm_parent, 0xFFFFFFF2u);
  EXPECT_EQ(header.tcm_handle, kBpfFilterHandle);
  // Preference in the upper 16 bits, ETH_P_ALL in network order below.
  EXPECT_EQ(header.tcm_info >> 16, kBpfFilterPriority);
  EXPECT_EQ(header.tcm_info & 0xFFFF, htons(ETH_P_ALL));

  auto top = attributes_of(request.header(), sizeof(tcmsg));
  EXPECT_EQ(text(top[TCA_KIND]), "bpf");
  auto options = nested(top[TCA_OPTIONS]);
  EXPECT_EQ(u32(options[TCA_BPF_FD]), 17u);
  EXPECT_EQ(text(options[TCA_BPF_NAME]), "nettopo loss 20%");
  EXPECT_EQ(u32(options[TCA_BPF_FLAGS]), static_cast<uint32_t>(TCA_BPF_FLAG_ACT_DIRECT));
  EXPECT_FALSE(options.contains(TCA_BPF_CLASSID));

  Request remove = bpf_filter_delete_request(3, ClsactHook::Egress);
  EXPECT_EQ(remove.type(), RTM_DELTFILTER);
  EXPECT_EQ(remove.extra_header<tcmsg>().tcm_parent, 0xFFFFFFF3u);
  EXPECT_EQ(remove.extra_header<tcmsg>().tcm_info >> 16, kBpfFilterPriority);
}

TEST(BpfFilter, DropThreshold) {
  EXPECT_EQ(drop_threshold(0), 0u);
  EXPECT_EQ(drop_threshold(-3), 0u);
  EXPECT_EQ(drop_threshold(50), uint64_t{1} << 31);
  EXPECT_EQ(drop_threshold(25), uint64_t{1} << 30);
  EXPECT_EQ(drop_threshold(100), uint64_t{1} << 32);
  EXPECT_EQ(drop_threshold(250), uint64_t{1} << 32);
}

TEST(BpfFilter, BlackholeProgramReturnsShot) {
  auto program = drop_program(100);
  ASSERT_EQ(program.size(), 2u);
  EXPECT_EQ(program[0].code, BPF_ALU64 | BPF_MOV | BPF_K);
  EXPECT_EQ(program[0].dst_reg, BPF_REG_0);
  EXPECT_EQ(program[0].imm, TC_ACT_SHOT);
  EXPECT_EQ(program[1].code, BPF_JMP | BPF_EXIT);
}

// Runs the loss program on an interpreter of the few instructions it uses, with `random` as
// what bpf_get_prandom_u32 returns; gives r0 at exit.
int64_t run(const std::vector<bpf_insn>& program, uint32_t random) {
  uint64_t registers[11] = {};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const bpf_insn& insn = program[pc];
    switch (insn.code) {
      case BPF_JMP | BPF_CALL:
        EXPECT_EQ(insn.imm, BPF_FUNC_get_prandom_u32);
        registers[0] = random;
        break;
      case BPF_LD | BPF_DW | BPF_IMM:
        registers[insn.dst_reg] = static_cast<uint32_t>(insn.imm) |
                                  uint64_t{static_cast<uint32_t>(program[pc + 1].imm)} << 32;
        ++pc;
        break;
      case BPF_JMP | BPF_JGE | BPF_X:
        if (registers[insn.dst_reg] >= registers[insn.src_reg]) pc += insn.off;
        break;
      case BPF_ALU64 | BPF_MOV | BPF_K:
        registers[insn.dst_reg] = static_cast<uint64_t>(static_cast<int64_t>(insn.imm));
        break;
      case BPF_JMP | BPF_EXIT:
        return static_cast<int64_t>(registers[0]);
      default:
        ADD_FAILURE() << "unexpected instruction " << int{insn.code};
        return -100;
    }
  }
  ADD_FAILURE() << "fell off the end";
  return -100;
}

TEST(BpfFilter, LossProgramDropsBelowTheThreshold) {
  auto program = drop_program(20);
  uint64_t threshold = drop_threshold(20);
  EXPECT_EQ(run(program, 0), TC_ACT_SHOT);
  EXPECT_EQ(run(program, static_cast<uint32_t>(threshold - 1)), TC_ACT_SHOT);
  EXPECT_EQ(run(program, static_cast<uint32_t>(threshold)), TC_ACT_OK);
  EXPECT_EQ(run(program, UINT32_MAX), TC_ACT_OK);
  // Above half, the threshold does not fit a sign-extended 32-bit immediate: still right.
  auto most = drop_program(90);
  EXPECT_EQ(run(most, 0xE0000000u), TC_ACT_SHOT);
  EXPECT_EQ(run(most, 0xF0000000u), TC_ACT_OK);
  auto none = drop_program(0);
  EXPECT_EQ(run(none, 0), TC_ACT_OK);
}

}  // namespace
}  // namespace nettopo::netlink
