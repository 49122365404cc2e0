#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sys/unique_fd.h"
#include "netlink/netlink_error.h"
#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

/// A NETLINK_ROUTE socket: sends Requests, matches every acknowledgement to its request by
/// sequence number and turns refusals into NetlinkError with the kernel's extended-ack text.
/// Move-only; owns its fd and its sequence numbers. Not thread-safe: one socket per thread.
///
/// Requests run in the namespace the socket was created in, whichever namespace the calling
/// thread is in later: open one socket per namespace (open_in) and keep it.
class Socket {
 public:
  /// Bytes gathered into one sendmsg before it goes out.
  static constexpr size_t kSendBatchBytes = 32 * 1024;
  /// Requests in flight at most; with capped acknowledgements their answers fit the receive
  /// buffer many times over, so the kernel never drops one.
  static constexpr size_t kWindow = 128;

  using MessageHandler = std::function<void(const nlmsghdr*)>;

  /// A socket in the calling thread's current network namespace. Throws SystemError.
  static Socket open();
  /// A socket created inside `netns` (borrowed); the calling thread is back in its own namespace
  /// when this returns or throws.
  static Socket open_in(const UniqueFd& netns);
  /// The same, named `netns_name` for errors and logs (see set_netns_name).
  static Socket open_in(const UniqueFd& netns, std::string netns_name);

  Socket(Socket&&) noexcept = default;
  Socket& operator=(Socket&&) noexcept = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() = default;

  /// Sends `request` (with anything submitted and not yet sent) and waits for its
  /// acknowledgement. Throws NetlinkError naming `what` when the kernel refuses it. Failures of
  /// submitted requests met on the way are kept for wait_all().
  void execute(Request& request, std::string what);
  /// The same for a request built in the call: `socket.execute(link_up_request(2, true), "...")`.
  void execute(Request&& request, std::string what) { execute(request, std::move(what)); }
  /// The same with the description in parts, kept apart in the NetlinkError: `operation`
  /// ("add address"), `object` ("10.0.0.1/24 to eth0").
  void execute(Request& request, std::string operation, std::string object);
  void execute(Request&& request, std::string operation, std::string object) {
    execute(request, std::move(operation), std::move(object));
  }

  /// Queues `request`; it goes out with others in one sendmsg once the batch is full, the window
  /// of kWindow requests in flight is reached, or wait_all()/execute() is called.
  void submit(Request request, std::string what);
  /// The same with the description in parts (see execute).
  void submit(Request request, std::string operation, std::string object);
  /// Sends what is queued and collects every outstanding acknowledgement, also after a failure,
  /// then throws the first failure (a NetlinkError naming that request's `what`). When the socket
  /// itself fails (send or receive, e.g. ENOBUFS after the kernel dropped answers) it throws
  /// SystemError and forgets every request in flight: their outcome is unknown.
  void wait_all();
  /// Submitted requests not yet acknowledged.
  size_t pending() const { return submitted_; }
  /// Sends what is queued now, without waiting for answers: a caller with many sockets can push
  /// every namespace's batch to the kernel first and collect with wait_all() afterwards.
  void flush();

  /// Sends `request` as a dump (adds NLM_F_DUMP) and calls `on_message` for every reply until
  /// the kernel's NLMSG_DONE. An exception from `on_message` is rethrown once the dump is drained.
  void dump(Request& request, const MessageHandler& on_message, std::string what);
  void dump(Request& request, const MessageHandler& on_message, std::string operation,
            std::string object);
  /// Sends a non-dump request that the kernel answers with messages (RTM_GETLINK by name),
  /// calls `on_reply` for each, and waits for the acknowledgement.
  void query(Request& request, const MessageHandler& on_reply, std::string what);
  void query(Request& request, const MessageHandler& on_reply, std::string operation,
             std::string object);

  /// Names the namespace this socket acts in ("lab-h1"); every NetlinkError it throws then
  /// carries the name (NetlinkError::netns(), "... in netns lab-h1: ...") and so do its logs.
  void set_netns_name(std::string name) { netns_name_ = std::move(name); }
  const std::string& netns_name() const { return netns_name_; }

  int fd() const { return fd_.get(); }

 private:
  struct Outstanding {
    std::string operation;
    std::string object;
    std::vector<Request::ErrorHint> hints;
    const MessageHandler* on_message = nullptr;
    bool is_dump = false;
    // execute/dump/query wait for this one request and take its result themselves.
    bool waited_on = false;
    bool done = false;
    std::optional<NetlinkError> error;
    std::exception_ptr handler_error;
  };

  explicit Socket(UniqueFd fd);
  uint32_t enqueue(Request& request, Outstanding entry);
  void transact(Request& request, Outstanding entry);
  void receive();
  // After a failed send or receive the fate of every request in flight is unknown: forget them
  // all (queued ones too), so the socket is usable again and wait_all() cannot wait for
  // acknowledgements that never come. The SystemError thrown stands for all of them.
  void abandon_outstanding();
  // Reads and drops whatever the kernel queued for this socket.
  void discard_received();
  void handle(const nlmsghdr* message);
  void finish(std::map<uint32_t, Outstanding>::iterator entry, int error_number,
              std::string kernel_message);

  UniqueFd fd_;
  std::string netns_name_;
  uint32_t next_sequence_ = 1;
  std::vector<uint8_t> send_buffer_;
  std::map<uint32_t, Outstanding> outstanding_;  // queued or sent, not yet answered
  size_t submitted_ = 0;
  std::optional<NetlinkError> first_failure_;
  // Allocated on first use and never zeroed: a fresh socket costs no page faults, and only the
  // pages the kernel writes into are ever touched.
  std::unique_ptr<uint8_t[]> receive_buffer_;
};

}  // namespace nettopo::netlink
