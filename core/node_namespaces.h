#pragma once

#include <sched.h>

namespace nettopo {

/// The namespaces a node has of its own: its init is cloned into them, and entering a node
/// (ScopedNodeEntry, `nettopo exec`) joins them. A bridge has only a network namespace.
constexpr int kNodeNamespaces =
    CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID;
constexpr int kBridgeNamespaces = CLONE_NEWNET;

}  // namespace nettopo
