#pragma once

// "did you mean ...?" for misspelt keys and names.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nettopo::topology {

/// Names longer than this get no suggestion and are suggested to no one: a typo is looked for
/// only among names a person writes, and the cost stays bounded whatever the file holds.
inline constexpr size_t kMaxSuggestedLength = 64;

/// Edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each count one. O(|a| * |b|) time, O(|b|) memory.
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo
/// (distance at most 2, and less than half of `word`'s length); the first such candidate wins ties.
/// Empty when none is close, or when `word` is longer than kMaxSuggestedLength; candidates longer
/// than that are skipped, so it costs at most O(candidates * kMaxSuggestedLength^2).
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "did you mean 'X'?" for the closest candidate, or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nettopo::topology
