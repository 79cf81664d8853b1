// attnrank glossary: the letters every file uses, and the shared scalar types.
//   n  tokens (rows and columns of an attention matrix)   d  head dimension (columns of Q, K)
//   H  heads    L  layers    p  prefix length    w  window width    s  logit scale (inverse temperature)
//   m  random features (Performer / FAVOR+)
// Matrices are Eigen, row i = query i, column j = key j. Nothing here allocates or does I/O.
#pragma once

#include <Eigen/Core>
#include <cstdint>

namespace attnrank {

using MatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using VectorXd = Eigen::VectorXd;

// 1 = query i may attend to key j. Row-major like the attention matrices it masks.
using Mask = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Floating-point precision of a whole pipeline (inputs -> logits -> attention -> SVD).
enum class Precision { F64, F32 };

}  // namespace attnrank
