#include "topology/suggestion.h"

#include <algorithm>

#include "topology/diagnostic.h"

namespace nettopo::topology {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swapping two neighbours ("mtu" -> "mut") as one
  // edit, the commonest typo. Three rows of the table are enough: O(|b|) memory.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  constexpr size_t kMaxDistance = 2;
  std::string best;
  size_t best_distance = kMaxDistance + 1;
  if (word.size() > kMaxSuggestedLength) return best;
  for (const auto& candidate : candidates) {
    // Lengths that differ by more than the distance allowed cannot be close: skip them without
    // computing anything, so a long list costs little and a long name nothing.
    size_t longer = std::max(word.size(), candidate.size());
    size_t shorter = std::min(word.size(), candidate.size());
    if (candidate.size() > kMaxSuggestedLength || longer - shorter > kMaxDistance) continue;
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance && distance * 2 < longer) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string match = closest_match(word, candidates);
  return match.empty() ? std::string() : "did you mean " + in_quotes(match) + "?";
}

}  // namespace nettopo::topology
