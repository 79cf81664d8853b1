// NumPy .npy format 1.0/2.0/3.0 (numpy.lib.format): reading float32/float64, little-endian, C or
// Fortran order, 1-D or 2-D; writing float64/float32 C-order 1-D or 2-D, and int32 2-D. Works on byte buffers (no file I/O)
// so the CLI and the wasm module share it. Anything else is kInvalidFile with a message that names the
// file's label and what is wrong (magic, version, header, dtype, order, shape, length, non-finite value).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/base/glossary.h"

namespace attnrank {

struct NpyArray {
  std::vector<std::int64_t> shape;  // 1 or 2 dimensions
  bool fortran_order = false;
  bool is_float32 = false;          // source dtype; data is always widened to double
  std::vector<double> data;         // in C (row-major) order after reading
};

// label names the input in messages ("q", "K.npy").
NpyArray parse_npy(const std::uint8_t* bytes, std::size_t size, const std::string& label);
NpyArray parse_npy(const std::string& bytes, const std::string& label);

// A 2-D array as a matrix (a 1-D array of length L is read as (L, 1)); rejects NaN and infinity.
MatrixXd npy_to_matrix(const NpyArray& array, const std::string& label);

std::string write_npy(const MatrixXd& matrix, Precision precision);
std::string write_npy(const VectorXd& vector, Precision precision);
// An int32 array (rows, cols) in C order as '<i4', byte-identical to np.save of an np.int32 array (the
// lab's dumped tokens and targets, design-lab.md section 7). values holds rows * cols entries.
std::string write_npy_int32(const std::vector<std::int32_t>& values, std::int64_t rows, std::int64_t cols);

}  // namespace attnrank
