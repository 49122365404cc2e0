#include "topology/routing/daemon_setup.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "topology/routing/bird_config.h"
#include "topology/routing/frr_config.h"
#include "topology/routing/router_view.h"

namespace nettopo::topology {
namespace {

// A shell loop that waits, at most ~10 s (200 polls of 50 ms), for each daemon's control
// socket, then runs `then` if any. The daemons start in the background as programs; this is what
// `up` waits on before it returns.
std::string wait_for_sockets(const std::vector<std::string>& sockets, const std::string& then) {
  std::string names;
  for (const auto& socket : sockets) names += (names.empty() ? "" : " ") + socket;
  return "for s in " + names +
         "; do n=0; until [ -S \"$s\" ]; do n=$((n+1)); if [ $n -gt 200 ]; then "
         "echo \"no daemon answers on $s\" >&2; exit 1; fi; sleep 0.05; done; done" +
         (then.empty() ? "" : "; " + then);
}

// One program per FRR node starts all its daemons: a program is a process nettopo spawns
// into the node one by one, and a 25-router lab would otherwise spend most of its `up` on 100
// of them. The daemons log to the program's output, each line tagged with the daemon, and stop
// with it: the script passes SIGTERM on to them (by PID, inside the node) and waits.
// With `own_configs`, each daemon reads its part of the generated configuration as it starts
// (/etc/frr/DAEMON.conf); a user's frr.conf is loaded by `vtysh -b` in the ready step instead.
std::string frr_start_script(const std::vector<std::string>& daemons, bool own_configs) {
  std::string script =
      "# Written by nettopo: starts this node's FRR daemons; `nettopo logs` shows their output.\n"
      "pids=\n"
      "trap 'kill -TERM $pids 2>/dev/null; wait' TERM INT\n";
  for (const auto& daemon : daemons) {
    script += "/usr/lib/frr/" + daemon + " --log stdout -A 127.0.0.1" +
              (daemon == "zebra" ? " -s 90000000" : "") +
              (own_configs ? " -f /etc/frr/" + daemon + ".conf" : "") + " &\npids=\"$pids $!\"\n";
    // The others start once zebra listens: a daemon that finds no zebra retries only after
    // seconds, and would join the routing late.
    if (daemon == "zebra") script += "until [ -S /run/frr/zserv.api ]; do sleep 0.05; done\n";
  }
  return script + "wait\n";
}

template <typename T>
void prepend(std::vector<T>& list, std::vector<T> front) {
  list.insert(list.begin(), std::make_move_iterator(front.begin()),
              std::make_move_iterator(front.end()));
}

void add_dirs(Node& node, const std::vector<std::string>& dirs) {
  std::vector<std::string> missing;
  for (const auto& dir : dirs)
    if (std::find(node.dirs.begin(), node.dirs.end(), dir) == node.dirs.end())
      missing.push_back(dir);
  prepend(node.dirs, missing);
}

bool has_file(const Node& node, const std::string& inside) {
  return std::any_of(node.files.begin(), node.files.end(),
                     [&](const FileSpec& file) { return file.inside_path == inside; });
}

// A generated file, unless the node wrote its own at that path: the node's own file wins.
void add_file(Node& node, const std::string& inside, std::string content) {
  if (!has_file(node, inside))
    node.files.push_back(FileSpec{inside, "", node.where, std::move(content)});
}

// The daemon's configuration: the user's `config` file, or the generated one.
void add_config(Node& node, const std::string& inside, std::string generated) {
  if (node.daemon_config.empty())
    add_file(node, inside, std::move(generated));
  else if (!has_file(node, inside))
    node.files.push_back(FileSpec{inside, node.daemon_config, node.where, std::nullopt});
}

void setup_frr(const Lab& lab, const RouterView& view, Node& node, std::string identity) {
  auto daemons = frr_daemons(lab, view);
  bool generated = node.daemon_config.empty();
  add_dirs(node, {"/etc/frr", "/run/frr", "/var/log/frr"});
  add_config(node, "/etc/frr/frr.conf", frr_config(lab, view));
  add_file(node, "/etc/frr/vtysh.conf", "service integrated-vtysh-config\n");
  add_file(node, "/etc/frr/daemons", frr_daemons_file(daemons));
  add_file(node, "/etc/frr/nettopo.json", std::move(identity));
  std::vector<std::string> exec = {"chown -R frr:frr /etc/frr /run/frr /var/log/frr"};
  // vtysh checks the user's configuration without a daemon: a typo fails `up` with FRR's own
  // message before anything starts. A generated one needs no check (the tests run it through
  // the same parser), which saves a vtysh start per router.
  if (!generated) exec.push_back("vtysh --dryrun -f /etc/frr/frr.conf");
  prepend(node.exec, exec);
  std::vector<std::string> sockets;
  sockets.reserve(daemons.size());
  for (const auto& daemon : daemons) sockets.push_back("/run/frr/" + daemon + ".vty");
  if (generated) {
    // Loading frr.conf with `vtysh -b` costs a vtysh start per router (about 0.7 s of a 25-router
    // grid's up on two cores); each daemon reading its own part costs nothing extra.
    for (const auto& daemon : daemons)
      add_file(node, "/etc/frr/" + daemon + ".conf", frr_daemon_config(lab, view, daemon));
  }
  add_file(node, "/etc/frr/nettopo-start", frr_start_script(daemons, generated));
  prepend(node.run, {"exec sh /etc/frr/nettopo-start"});
  prepend(node.ready, {wait_for_sockets(sockets, generated ? "" : "vtysh -b")});
}

void setup_bird(const Lab& lab, const RouterView& view, Node& node, std::string identity) {
  add_dirs(node, {"/etc/bird", "/run/bird"});
  add_config(node, "/etc/bird/bird.conf", bird_config(lab, view));
  add_file(node, "/etc/bird/nettopo.json", std::move(identity));
  std::vector<std::string> exec = {"chown -R bird:bird /etc/bird /run/bird"};
  // -p: parse the user's configuration and exit, for BIRD's own message.
  if (!node.daemon_config.empty()) exec.push_back("bird -p -c /etc/bird/bird.conf");
  prepend(node.exec, exec);
  prepend(node.run, {"exec bird -f -u bird -g bird -c /etc/bird/bird.conf -s /run/bird/bird.ctl"});
  prepend(node.ready,
          {wait_for_sockets({"/run/bird/bird.ctl"}, "birdc -s /run/bird/bird.ctl show status")});
}

void add_identity_env(Node& node) {
  auto set = [&](const std::string& key, const std::string& value) {
    for (const auto& [name, _] : node.env)
      if (name == key) return;  // the user's own value wins
    node.env.emplace_back(key, value);
  };
  if (auto id = node.router_id()) {
    set("NETTOPO_ROUTER_ID", id->to_string());
    set("NETTOPO_LOOPBACK", id->to_string());
  }
  for (const auto& loopback : node.loopbacks)
    if (loopback.family() == IpFamily::V6) set("NETTOPO_LOOPBACK6", loopback.address.to_string());
  if (node.asn) set("NETTOPO_ASN", std::to_string(*node.asn));
}

}  // namespace

std::string identity_json(const Lab& lab, const RouterView& view) {
  using nlohmann::json;
  const Node& node = *view.node;
  auto prefixes = [](const std::vector<IpPrefix>& list) {
    json out = json::array();
    for (const auto& prefix : list) out.push_back(prefix.to_string());
    return out;
  };
  json out;
  out["node"] = node.name;
  out["lab"] = lab.name;
  out["kind"] = node.kind;
  out["router_id"] = node.router_id() ? json(node.router_id()->to_string()) : json(nullptr);
  out["loopbacks"] = prefixes(node.loopbacks);
  out["asn"] = node.asn ? json(*node.asn) : json(nullptr);
  out["interfaces"] = json::array();
  for (const auto& interface : view.interfaces) {
    json neighbors = json::array();
    for (const auto& neighbor : interface.routers)
      neighbors.push_back(
          {{"node", neighbor.node->name},
           {"addresses", prefixes(neighbor.addresses)},
           {"asn", neighbor.node->asn ? json(*neighbor.node->asn) : json(nullptr)}});
    out["interfaces"].push_back({{"name", interface.name},
                                 {"addresses", prefixes(interface.addresses)},
                                 {"point_to_point", interface.point_to_point},
                                 {"routers", neighbors},
                                 {"hosts", interface.has_hosts}});
  }
  out["bgp_peers"] = json::array();
  for (const auto& peer : bgp_peers(lab, view))
    out["bgp_peers"].push_back({{"node", peer.node->name},
                                {"address", peer.address.to_string()},
                                {"asn", peer.asn},
                                {"internal", peer.internal}});
  return out.dump(2) + "\n";
}

void setup_routing_daemons(Lab& lab, const std::vector<Segment>& segments) {
  // The views point into lab.nodes, which change below only in their own lists (dirs, files,
  // steps, env): the names, addresses and neighbours the views read stay as they are.
  RouterViews views(lab, segments);
  for (size_t i = 0; i < lab.nodes.size(); ++i) {
    Node& node = lab.nodes[i];
    if (node.runs_daemon()) {
      RouterView view = views.of(i);
      std::string identity = identity_json(lab, view);
      Node expanded = node;
      if (node.daemon == RoutingDaemon::Frr)
        setup_frr(lab, view, expanded, std::move(identity));
      else
        setup_bird(lab, view, expanded, std::move(identity));
      node = std::move(expanded);
    }
    if (node.is_router()) add_identity_env(node);
  }
}

}  // namespace nettopo::topology
