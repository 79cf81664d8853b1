// One Householder reflector made from a contiguous vector, with Eigen's makeHouseholder convention. Shared
// because two Householder factorisations need the same decisions, rounding for rounding: the SVD's
// bidiagonalisation (bidiagonalization.cpp) and the logits rank's thin QR (stats/logits_rank.cpp). Written
// once so that the convention (the sign of beta, the threshold for the identity) cannot drift between them.
// Not here: applying the reflector (each caller does it on the fixed-order kernels of lab/kernels.h).
#pragma once

#include <cmath>
#include <limits>

namespace attnrank {

// The reflector H = I - tau w w^T with H (alpha, tail) = (beta, 0), w = (1, tail / (alpha - beta)),
// beta = -sign(alpha) ||(alpha, tail)|| (sign(0) = +1); returns tau. On entry v (length >= 1) holds
// (alpha, tail); on return v = (beta, w's tail). A tail whose squared norm is at or below the smallest
// normal number (its entries below ~1e-154 in double, 1e-19 in float, relative to A's largest entry ~1 after
// spectrum.cpp's scaling) is zeroed and H = I (tau = 0, v[0] = alpha): the perturbation is far below
// eps ||A||, and the norm of such a tail would be computed from subnormal squares, so tau and w would not
// make H orthogonal. The sums run in one scalar loop, index ascending: the same bits on every vector width.
template <typename T>
T make_reflector(int length, T* v) {
  const T alpha = v[0];
  T tail_squared = T(0);
  for (int i = 1; i < length; ++i) tail_squared = tail_squared + v[i] * v[i];
  if (tail_squared <= std::numeric_limits<T>::min()) {
    for (int i = 1; i < length; ++i) v[i] = T(0);
    return T(0);
  }
  T beta = std::sqrt(alpha * alpha + tail_squared);
  if (alpha >= T(0)) beta = -beta;
  const T divisor = alpha - beta;
  for (int i = 1; i < length; ++i) v[i] = v[i] / divisor;
  v[0] = beta;
  return (beta - alpha) / beta;
}

}  // namespace attnrank
