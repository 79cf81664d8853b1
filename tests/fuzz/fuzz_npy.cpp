// libFuzzer target for the .npy reader (npy.h): arbitrary bytes -> parse_npy -> npy_to_matrix ->
// write_npy -> parse_npy again. The only allowed failure is attnrank::Error with code kInvalidFile and a
// message that starts with the file's label. Anything else is a bug: a crash, a sanitizer report, another
// exception, an array whose data length disagrees with its shape, a matrix with a non-finite entry, or a
// round trip that changes a shape or a bit. Built by tests/fuzz/run.sh (clang, ASan + UBSan).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/io/npy.h"

namespace {

using attnrank::Error;
using attnrank::ErrorCode;

constexpr char kLabel[] = "fuzz.npy";

[[noreturn]] void bug(const std::string& what) {
  std::fprintf(stderr, "fuzz_npy: %s\n", what.c_str());
  std::abort();
}

void check_error(const Error& error) {
  if (error.code() != ErrorCode::kInvalidFile) bug(std::string("error code is not kInvalidFile: ") + error.what());
  if (std::string(error.what()).rfind(std::string(kLabel) + ": ", 0) != 0) {
    bug(std::string("message does not start with the label: ") + error.what());
  }
}

// Checks the parsed array's own invariants against the input size.
void check_array(const attnrank::NpyArray& array, std::size_t size) {
  if (array.shape.size() != 1 && array.shape.size() != 2) bug("accepted a shape with " + std::to_string(array.shape.size()) + " dimensions");
  std::uint64_t count = 1;
  for (std::int64_t dim : array.shape) {
    if (dim < 0) bug("accepted a negative dimension");
    count *= static_cast<std::uint64_t>(dim);
  }
  if (count != array.data.size()) bug("data length " + std::to_string(array.data.size()) + " != shape product " + std::to_string(count));
  if (array.data.size() * (array.is_float32 ? 4 : 8) > size) bug("more data than bytes in the file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  attnrank::NpyArray array;
  try {
    array = attnrank::parse_npy(data, size, kLabel);
  } catch (const Error& error) {
    check_error(error);
    return 0;
  }
  check_array(array, size);

  attnrank::MatrixXd matrix;
  try {
    matrix = attnrank::npy_to_matrix(array, kLabel);
  } catch (const Error& error) {
    check_error(error);
    return 0;
  }
  const std::int64_t rows = array.shape[0];
  const std::int64_t cols = array.shape.size() == 2 ? array.shape[1] : 1;
  if (matrix.rows() != rows || matrix.cols() != cols) bug("matrix shape differs from the array shape");
  if (!matrix.allFinite()) bug("npy_to_matrix returned a non-finite entry");

  // Round trip in the source precision: float32 values were widened exactly, so both are bit-exact.
  const attnrank::Precision precision = array.is_float32 ? attnrank::Precision::F32 : attnrank::Precision::F64;
  const std::string bytes = attnrank::write_npy(matrix, precision);
  attnrank::NpyArray again;
  try {
    again = attnrank::parse_npy(bytes, "again");
  } catch (const Error& error) {
    bug(std::string("write_npy output does not parse: ") + error.what());
  }
  if (again.shape.size() != 2 || again.shape[0] != rows || again.shape[1] != cols) bug("round trip changed the shape");
  if (again.fortran_order || again.is_float32 != array.is_float32) bug("round trip changed the order or dtype");
  if (std::memcmp(again.data.data(), matrix.data(), again.data.size() * sizeof(double)) != 0) {
    bug("round trip changed a value");
  }
  return 0;
}
