// Finite-difference checks of the lab's backwards, shared by test_lab_ops.cpp and test_lab_ops_attention.cpp:
// seeded vectors, central differences entry by entry against an analytic gradient, and the step and
// tolerance they use. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "test_support.h"

namespace attnrank::test {

using Vec = std::vector<double>;

// Central differences (f(x + h) - f(x - h)) / 2h: truncation ~h^2 |f'''| / 6 ~ 1e-11, rounding
// ~eps |f| / h ~ 1e-11 at h = 1e-5 for O(1) values, so a correct backward lands near 1e-10 relative.
inline constexpr double kFdStep = 1e-5;
// Largest |numeric - analytic| over the entries, relative to the largest |analytic| entry.
inline constexpr double kFdTolerance = 1e-8;

inline Vec random_vector(std::size_t count, std::uint64_t seed, double scale = 1.0) {
  test::Lcg lcg(seed);
  Vec out(count);
  for (double& value : out) value = scale * lcg.next();
  return out;
}

inline double dot(const Vec& a, const Vec& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// Relative error of `analytic` (d loss / d x) against central differences of loss() in each entry of x.
inline double gradient_error(Vec& x, const Vec& analytic, const std::function<double()>& loss) {
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double saved = x[i];
    x[i] = saved + kFdStep;
    const double plus = loss();
    x[i] = saved - kFdStep;
    const double minus = loss();
    x[i] = saved;
    const double numeric = (plus - minus) / (2 * kFdStep);
    worst = std::max(worst, std::fabs(numeric - analytic[i]));
    scale = std::max(scale, std::fabs(analytic[i]));
  }
  return scale > 0 ? worst / scale : worst;
}

// Checks one input's gradient and prints the error reached (the tolerance decides, the print reports).
inline void expect_gradient(const std::string& label, Vec& x, const Vec& analytic, const std::function<double()>& loss) {
  const double error = gradient_error(x, analytic, loss);
  std::printf("[ lab fd   ] %-40s relative error %.2e (tolerance %.0e)\n", label.c_str(), error, kFdTolerance);
  EXPECT_LE(error, kFdTolerance) << label;
}

}  // namespace attnrank::test
