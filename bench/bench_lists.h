// The benchmark programs' comma-separated options (--sizes 256,1024, --patterns a,b, --configs ...),
// parsed in one place for bench_stats.cpp, breakdown.cpp, svd_speed.cpp and lab_bench.cpp.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>
#include <vector>

namespace attnrank::bench {

// "a,b,c" -> {"a", "b", "c"}; an empty text gives no items.
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// "256,1024" -> {256, 1024} (atoi: a non-number reads as 0).
inline std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  for (const std::string& item : split_commas(text)) sizes.push_back(std::atoi(item.c_str()));
  return sizes;
}

}  // namespace attnrank::bench
