#include "netlink/tc_message.h"

#include <libmnl/libmnl.h>
#include <sys/socket.h>

#include "core/sys/error.h"

namespace nettopo::netlink {

tcmsg tc_header(int ifindex, uint32_t handle, uint32_t parent, uint32_t info) {
  tcmsg header{};
  header.tcm_family = AF_UNSPEC;
  header.tcm_ifindex = ifindex;
  header.tcm_handle = handle;
  header.tcm_parent = parent;
  header.tcm_info = info;
  return header;
}

TcMessage read_tc_message(const nlmsghdr* message, uint16_t type, const char* type_name) {
  if (message->nlmsg_type != type || mnl_nlmsg_get_payload_len(message) < sizeof(tcmsg))
    throw Error(std::string("netlink: expected an ") + type_name + " message");
  TcMessage read;
  read.header = static_cast<const tcmsg*>(mnl_nlmsg_get_payload(message));
  mnl_attr_parse(
      message, sizeof(tcmsg),
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<TcMessage*>(data);
        switch (mnl_attr_get_type(attribute)) {
          case TCA_KIND:
            if (mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) >= 0)
              out.kind = mnl_attr_get_str(attribute);
            break;
          case TCA_OPTIONS:
            out.options = attribute;
            break;
          case TCA_STATS2:
            out.stats = attribute;
            break;
          default:
            break;
        }
        return MNL_CB_OK;
      },
      &read);
  return read;
}

}  // namespace nettopo::netlink
