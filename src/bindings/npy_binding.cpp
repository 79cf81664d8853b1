// The core's .npy reader and writer for the page's load and export: parse_npy(Uint8Array, label) ->
// {rows, cols, data: Float64Array} and write_npy(Float64Array, rows, cols, precision) -> Uint8Array (both
// copies).
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/io/npy.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"
#include "js_read.h"

namespace attnrank::js {
namespace {

// The first `count` bytes of a Uint8Array, copied.
std::vector<std::uint8_t> first_bytes(const val& bytes, std::size_t count) {
  std::vector<std::uint8_t> out(count);
  val(emscripten::typed_memory_view(count, out.data())).call<void>("set", bytes.call<val>("subarray", 0, count));
  return out;
}

// parse_npy's memory, checked from the header before the file is copied (issue 16 item 7: a 1 GB file
// grew the heap to 2 GB): the file's copy, the data widened to double and the matrix, all alive at once.
// Over the default budget: kTooLarge naming the file, its size and the budget; a header that is wrong, or
// a size that does not match it, in parse_npy's words.
void require_npy_within_budget(const val& bytes, std::size_t size, const std::string& name) {
  std::vector<std::uint8_t> start = first_bytes(bytes, std::min<std::size_t>(size, kNpyPreambleBytes));
  const std::uint64_t header_end = npy_header_end(start.data(), start.size(), name);
  if (header_end > start.size()) start = first_bytes(bytes, static_cast<std::size_t>(std::min<std::uint64_t>(size, header_end)));
  const NpyHeader header = parse_npy_header(start.data(), start.size(), name);
  require_npy_data_size(header, size - header.data_offset, name);
  const std::int64_t needed =
      to_estimate_bytes(static_cast<double>(size) + 2.0 * kDoubleBytes * static_cast<double>(header.count) + kOverheadBytes);
  if (needed > kDefaultMemoryBudgetMiB * kBytesPerMiB) {
    fail(ErrorCode::kTooLarge, "bytes",
         message(name, ": ", header.count, " numbers need ~", (needed + kBytesPerMiB - 1) / kBytesPerMiB,
                 " MiB to read, over the memory budget of ", kDefaultMemoryBudgetMiB, " MiB: load a smaller file"));
  }
}

}  // namespace

// parse_npy(bytes: Uint8Array, label: string) -> {rows, cols, data: Float64Array (row-major copy)}: the
// core's reader (float32/float64, C or Fortran order; a 1-D array of length L is (L, 1)). Messages start
// with the label ("q.npy: ...").
val parse_npy_js(val bytes, val label) {
  return call_guarded(
      ArgumentNames{{"bytes", "label"}},
      [&bytes, &label] {
        const std::string name = read_string(label, "label");
        if (!bytes.instanceof(val::global("Uint8Array"))) {
          invalid(name + ": bytes must be a Uint8Array (got " + type_of(bytes) + ")");
        }
        const std::size_t size = bytes["length"].as<std::size_t>();
        require_npy_within_budget(bytes, size, name);  // before the file is copied into the heap
        std::vector<std::uint8_t> buffer(size);
        val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<void>("set", bytes);
        const MatrixXd matrix = npy_to_matrix(parse_npy(buffer.data(), buffer.size(), name), name);
        return to_js(npy_matrix_result(matrix));  // the keys of result_fields.h's npy table
      },
      bytes, label);
}

// write_npy(data: Float64Array, rows, cols, precision: "f64" | "f32") -> Uint8Array: the bytes of a
// C-order .npy file of shape (rows, cols), as numpy's np.save writes them. data is row-major, rows*cols.
val write_npy_js(val data, val rows, val cols, val precision) {
  return call_guarded(
      ArgumentNames{{"data", "rows", "cols", "precision"}},
      [&] {
        const int row_count = read_int(rows, "rows");
        const int col_count = read_int(cols, "cols");
        require_in_range("rows", row_count, 1, INT_MAX);
        require_in_range("cols", col_count, 1, INT_MAX);
        const Precision file_precision = parse_precision(read_string(precision, "precision"));
        const std::string shape = "rows*cols=" + std::to_string(row_count) + "*" + std::to_string(col_count) + " numbers";
        const std::uint64_t count = static_cast<std::uint64_t>(row_count) * static_cast<std::uint64_t>(col_count);
        // Checked before allocating: a mismatched rows*cols may be far too large to allocate.
        if (!data.instanceof(val::global("Float64Array"))) {
          invalid("data must be a Float64Array of " + shape + " (got " + type_of(data) + ")");
        }
        const double length = data["length"].as<double>();  // exact: lengths are below 2^53
        if (length != static_cast<double>(count)) {
          invalid("data has " + std::to_string(static_cast<std::uint64_t>(length)) + " entries, expected " + shape);
        }
        MatrixXd matrix(row_count, col_count);
        read_typed_array(data, "data", "Float64Array", shape, static_cast<std::size_t>(count), matrix.data());
        const std::string file = write_npy(matrix, file_precision);
        return val::global("Uint8Array")
            .new_(emscripten::typed_memory_view(file.size(), reinterpret_cast<const std::uint8_t*>(file.data())));
      },
      data, rows, cols, precision);
}

}  // namespace attnrank::js
