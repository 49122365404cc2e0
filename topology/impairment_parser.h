#pragma once

// Link impairment values written the way tc(8) writes them: "10mbit", "5ms", "1%".

#include <cstdint>
#include <optional>
#include <string_view>

namespace nettopo::topology {

/// Parses a rate such as "10mbit" or "1.5gbit" into bits per second. Units as in tc(8), any case:
/// bit, kbit, mbit, gbit, tbit (powers of 1000 bits/s) and bps, kbps, mbps, gbps, tbps (bytes/s).
/// nullopt when malformed, zero, or too large.
std::optional<uint64_t> parse_rate(std::string_view text);

/// Parses a time such as "5ms", "0.5ms", "1s" or "100us" into microseconds. Units: us/usec,
/// ms/msec, s/sec/secs. nullopt when malformed or beyond 2^32-1 us.
std::optional<uint32_t> parse_duration_us(std::string_view text);

/// Parses a percentage such as "1%" or "0.5%". nullopt when malformed; the range is not checked.
std::optional<double> parse_percent(std::string_view text);

}  // namespace nettopo::topology
