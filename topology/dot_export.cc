#include "topology/dot_export.h"

#include <cstdio>

namespace nettopo::topology {
namespace {

// A DOT double-quoted string: only '"' and '\' need escaping; "\n" is written as a DOT line break.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string end_label(const Endpoint& end) {
  std::string label = end.interface;
  for (const auto& address : end.addresses) label += "\n" + address.to_string();
  return label;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string middle_label(const Link& link) {
  std::string label;
  auto add = [&](const std::string& part) { label += (label.empty() ? "" : "\n") + part; };
  const auto& imp = link.impairments;
  if (imp.rate_bits_per_second)
    add(number(static_cast<double>(*imp.rate_bits_per_second) / 1e6) + " Mbit/s");
  if (imp.delay_us) {
    std::string delay = number(*imp.delay_us / 1000.0) + " ms";
    if (imp.jitter_us) delay += " ± " + number(*imp.jitter_us / 1000.0) + " ms";
    add(delay);
  }
  if (imp.loss_percent) add(number(*imp.loss_percent) + "% loss");
  if (link.mtu) add("mtu " + std::to_string(*link.mtu));
  if (link.cost != 1) add("cost " + std::to_string(link.cost));
  return label;
}

}  // namespace

std::string to_dot(const Lab& lab) {
  std::string out = "graph " + quote(lab.name) + " {\n";
  out += "  graph [overlap=false, splines=true];\n";
  out += "  node [fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const auto& node : lab.nodes) {
    // A router shows what the protocols know it by: its kind, loopback and AS.
    std::string label = node.name;
    if (!node.kind.empty()) label += "\n" + node.kind;
    for (const auto& loopback : node.loopbacks) label += "\nlo " + loopback.to_string();
    if (node.asn) label += "\nAS " + std::to_string(*node.asn);
    if (lab.ospf && node.is_router()) label += "\nOSPF area " + lab.ospf->area;
    out += "  " + quote(node.name) + " [shape=box" +
           std::string(node.forward ? ", peripheries=2" : "") +
           (label != node.name ? ", label=" + quote(label) : "") + "];\n";
  }
  for (const auto& bridge : lab.bridges) {
    out += "  " + quote(bridge.name) + " [shape=ellipse, style=filled, fillcolor=lightgrey];\n";
  }
  for (const auto& link : lab.links) {
    out += "  " + quote(link.ends[0].owner) + " -- " + quote(link.ends[1].owner) +
           " [taillabel=" + quote(end_label(link.ends[0])) +
           ", headlabel=" + quote(end_label(link.ends[1]));
    std::string middle = middle_label(link);
    if (!middle.empty()) out += ", label=" + quote(middle);
    out += "];\n";
  }
  return out + "}\n";
}

}  // namespace nettopo::topology
