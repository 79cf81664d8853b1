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

// What the header says, before any data is read: a file's loader checks the shape against its limits
// and budget from the first data_offset bytes, then reads exactly data_bytes more (issue 16 item 6).
struct NpyHeader {
  std::vector<std::int64_t> shape;  // 1 or 2 dimensions
  bool fortran_order = false;
  bool is_float32 = false;
  std::uint64_t count = 0;          // elements
  std::uint64_t data_offset = 0;    // bytes before the data: preamble and header
  std::uint64_t data_bytes = 0;     // count times the item size
};

// The preamble and header are at most this long (numpy writes 64-byte aligned headers of ~128 bytes;
// a longer one is refused before it is read). The first kNpyPreambleBytes say how long the header is.
constexpr std::uint64_t kMaxHeaderBytes = 1u << 16;
constexpr std::size_t kNpyPreambleBytes = 12;  // magic, version, and the header length of versions 2 and 3

// From the first kNpyPreambleBytes (or the whole file if shorter): the offset where the header ends.
std::uint64_t npy_header_end(const std::uint8_t* bytes, std::size_t size, const std::string& label);
// bytes holds the file's start, through the header's end at least. label names the input in messages
// ("q", "K.npy").
NpyHeader parse_npy_header(const std::uint8_t* bytes, std::size_t size, const std::string& label);
// Throws the file's error unless data_size (the bytes after the header) is exactly header.data_bytes.
void require_npy_data_size(const NpyHeader& header, std::uint64_t data_size, const std::string& label);
// The whole file: header and data (exactly data_bytes after the header).
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
