// .npy reading and writing on byte buffers (format spec: numpy.lib.format, "NEP 1"). Reads versions
// 1.0/2.0/3.0, dtypes '<f4' and '<f8', C or Fortran order, 1-D or 2-D; writes version 1.0, C order,
// '<f8', '<f4' or '<i4', byte-identical to numpy 1.24's np.save (same header text, growth spaces and 64-byte alignment).
// Bytes are assembled little-endian explicitly, so the result does not depend on the host's byte order.
// Not here: file I/O, reading integers, other dtypes, structured arrays, .npz archives.
#include "attnrank/io/npy.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "attnrank/base/errors.h"

namespace attnrank {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLength = 6;
constexpr std::size_t kArrayAlign = 64;          // numpy.lib.format.ARRAY_ALIGN
constexpr std::size_t kGrowthAxisMaxDigits = 21;  // numpy.lib.format.GROWTH_AXIS_MAX_DIGITS

// No parameter: label names the file; the caller (the CLI's --q/--k, the page's load view) knows which input
// it read and places the error there.
[[noreturn]] void file_error(const std::string& label, const std::string& what) {
  fail(ErrorCode::kInvalidFile, printable(label, kPathEchoLimit) + ": " + what);  // a path or a name: made safe
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) out += message(i ? ", " : "", shape[i]);
  if (shape.size() == 1) out += ",";
  out += ")";
  return out;
}

// Minimal reader for the header's Python dict literal, e.g.
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// Accepts exactly the literals numpy writes: quoted strings, True/False, tuples of non-negative ints.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& label) : text_(text), label_(label) {}

  void parse(std::string& descr, bool& fortran_order, std::vector<std::int64_t>& shape) {
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      if (key == "descr" && !has_descr) {
        skip_space();
        if (peek() != '\'' && peek() != '"') bad("'descr' is not a string (structured dtypes are not supported)");
        descr = parse_string();
        has_descr = true;
      } else if (key == "fortran_order" && !has_order) {
        fortran_order = parse_bool();
        has_order = true;
      } else if (key == "shape" && !has_shape) {
        shape = parse_tuple();
        has_shape = true;
      } else {
        bad("unexpected or repeated key '" + printable(key) + "'");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') bad("expected ',' or '}'");
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) bad("unexpected text after the dict");
    if (!has_descr || !has_order || !has_shape) bad("missing key 'descr', 'fortran_order' or 'shape'");
  }

 private:
  [[noreturn]] void bad(const std::string& why) { file_error(label_, "bad .npy header: " + why); }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t')) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) bad(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') bad("expected a quoted key");
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string::npos) bad("unterminated string");
    std::string value = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return value;
  }
  bool parse_bool() {
    skip_space();
    if (text_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    bad("'fortran_order' must be True or False");
  }
  std::vector<std::int64_t> parse_tuple() {
    std::vector<std::int64_t> dims;
    expect('(');
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') bad("'shape' must be a tuple of non-negative integers");
      std::int64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        const int digit = peek() - '0';
        if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
          file_error(label_, "shape has a dimension above 2^63 - 1 (too large)");
        }
        value = value * 10 + digit;
        ++pos_;
      }
      dims.push_back(value);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') bad("expected ',' or ')' in 'shape'");
    }
    ++pos_;
    return dims;
  }

  const std::string& text_;
  const std::string& label_;
  std::size_t pos_ = 0;
};

std::uint64_t read_le(const std::uint8_t* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

void append_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Header text exactly as numpy 1.24 writes it: sorted keys, repr values, growth spaces, then spaces
// and '\n' so that magic + version + length + header is a multiple of 64 bytes.
std::string npy_header(const char* descr, const std::vector<std::int64_t>& shape) {
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " +
                     shape_text(shape) + ", }";
  const std::size_t first_dim_digits = std::to_string(shape[0]).size();
  dict.append(kGrowthAxisMaxDigits - first_dim_digits, ' ');
  const std::size_t header_length = dict.size() + 1;  // + '\n'
  const std::size_t padding = kArrayAlign - (kMagicLength + 2 + 2 + header_length) % kArrayAlign;
  dict.append(padding, ' ');
  dict.push_back('\n');
  std::string out(kMagic, kMagicLength);
  out.push_back('\x01');
  out.push_back('\x00');
  append_le(out, dict.size(), 2);
  return out + dict;
}

// values (count) in C order, written as '<f8' or '<f4'.
std::string write_values(const double* values, std::size_t count, const std::vector<std::int64_t>& shape,
                         Precision precision) {
  const bool is_f32 = precision == Precision::F32;
  std::string out = npy_header(is_f32 ? "<f4" : "<f8", shape);
  out.reserve(out.size() + count * (is_f32 ? 4 : 8));
  for (std::size_t i = 0; i < count; ++i) {
    if (is_f32) {
      const float narrow = static_cast<float>(values[i]);
      std::uint32_t bits;
      std::memcpy(&bits, &narrow, 4);
      append_le(out, bits, 4);
    } else {
      std::uint64_t bits;
      std::memcpy(&bits, &values[i], 8);
      append_le(out, bits, 8);
    }
  }
  return out;
}

}  // namespace

std::uint64_t npy_header_end(const std::uint8_t* bytes, std::size_t size, const std::string& label) {
  if (size < kMagicLength || std::memcmp(bytes, kMagic, kMagicLength) != 0) {
    file_error(label, "not a .npy file (missing the \\x93NUMPY magic string)");
  }
  if (size < kMagicLength + 2) file_error(label, "file is truncated inside the .npy preamble");
  const int major = bytes[6], minor = bytes[7];
  if (!((major == 1 || major == 2 || major == 3) && minor == 0)) {
    file_error(label, "unsupported .npy version " + std::to_string(major) + "." + std::to_string(minor) +
                          " (expected 1.0, 2.0 or 3.0)");
  }
  const int length_bytes = major == 1 ? 2 : 4;
  const std::size_t header_start = kMagicLength + 2 + length_bytes;
  if (size < header_start) file_error(label, "file is truncated inside the .npy preamble");
  const std::uint64_t header_length = read_le(bytes + kMagicLength + 2, length_bytes);
  if (header_length > kMaxHeaderBytes) {
    file_error(label, "the header declares " + std::to_string(header_length) + " bytes (at most " +
                          std::to_string(kMaxHeaderBytes) + " are read)");
  }
  return header_start + header_length;
}

NpyHeader parse_npy_header(const std::uint8_t* bytes, std::size_t size, const std::string& label) {
  const std::uint64_t header_end = npy_header_end(bytes, size, label);
  const std::size_t header_start = bytes[6] == 1 ? kMagicLength + 4 : kMagicLength + 6;
  const std::uint64_t header_length = header_end - header_start;
  if (header_end > size) {
    file_error(label, "file is truncated inside the header (" + std::to_string(header_length) +
                          " header bytes declared, " + std::to_string(size - header_start) + " present)");
  }
  const std::string header(reinterpret_cast<const char*>(bytes + header_start), header_length);

  NpyHeader out;
  std::string descr;
  HeaderParser(header, label).parse(descr, out.fortran_order, out.shape);
  if (descr == "<f8") {
    out.is_float32 = false;
  } else if (descr == "<f4") {
    out.is_float32 = true;
  } else {
    file_error(label, "dtype '" + printable(descr) + "' is not supported (expected '<f4' or '<f8')");
  }
  if (out.shape.size() != 1 && out.shape.size() != 2) {
    file_error(label, "shape " + shape_text(out.shape) + " has " + std::to_string(out.shape.size()) +
                          " dimensions (expected 1 or 2)");
  }
  const std::size_t item_size = out.is_float32 ? 4 : 8;
  // Overflow-safe element count: every partial product must stay <= the largest byte count.
  std::uint64_t count = 1;
  for (std::int64_t dim : out.shape) {
    const std::uint64_t d = static_cast<std::uint64_t>(dim);
    if (d != 0 && count > (std::numeric_limits<std::uint64_t>::max() / item_size) / d) {
      file_error(label, "shape " + shape_text(out.shape) + " is too large (element count overflows)");
    }
    count *= d;
  }
  out.count = count;
  out.data_offset = header_start + header_length;
  out.data_bytes = count * item_size;
  return out;
}

void require_npy_data_size(const NpyHeader& header, std::uint64_t data_size, const std::string& label) {
  const char* descr = header.is_float32 ? "<f4" : "<f8";
  if (data_size < header.data_bytes) {
    file_error(label, "data is truncated: shape " + shape_text(header.shape) + " of '" + descr + "' needs " +
                          std::to_string(header.data_bytes) + " bytes, file has " + std::to_string(data_size));
  }
  if (data_size > header.data_bytes) {
    file_error(label, "data length " + std::to_string(data_size) + " bytes does not match shape " +
                          shape_text(header.shape) + " of '" + descr + "' (" + std::to_string(header.data_bytes) +
                          " bytes)");
  }
}

NpyArray parse_npy(const std::uint8_t* bytes, std::size_t size, const std::string& label) {
  const NpyHeader header = parse_npy_header(bytes, size, label);
  require_npy_data_size(header, size - header.data_offset, label);
  NpyArray array;
  array.shape = header.shape;
  array.fortran_order = header.fortran_order;
  array.is_float32 = header.is_float32;
  const std::uint64_t count = header.count;
  const std::uint8_t* data = bytes + header.data_offset;
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (array.is_float32) {
      const std::uint32_t bits = static_cast<std::uint32_t>(read_le(data + 4 * i, 4));
      float value;
      std::memcpy(&value, &bits, 4);
      values[i] = value;
    } else {
      const std::uint64_t bits = read_le(data + 8 * i, 8);
      std::memcpy(&values[i], &bits, 8);
    }
  }
  // An empty array (a zero dimension) has nothing to reorder: looping over its other dimension, which the
  // header may declare up to 2^63, hung the parser (shape (9999999999, 0), found by a one-hour fuzz run).
  if (array.fortran_order && array.shape.size() == 2 && count > 0) {
    // Fortran order stores column j contiguously: element (i, j) at j * rows + i.
    const std::size_t rows = static_cast<std::size_t>(array.shape[0]);
    const std::size_t cols = static_cast<std::size_t>(array.shape[1]);
    array.data.resize(count);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j) array.data[i * cols + j] = values[j * rows + i];
    }
  } else {
    array.data = std::move(values);  // 1-D: both orders are the same
  }
  return array;
}

NpyArray parse_npy(const std::string& bytes, const std::string& label) {
  return parse_npy(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), label);
}

MatrixXd npy_to_matrix(const NpyArray& array, const std::string& label) {
  if (array.shape.size() != 1 && array.shape.size() != 2) {
    file_error(label, "shape " + shape_text(array.shape) + " has " + std::to_string(array.shape.size()) +
                          " dimensions (expected 1 or 2)");
  }
  const std::int64_t rows = array.shape[0];
  const std::int64_t cols = array.shape.size() == 2 ? array.shape[1] : 1;
  if (rows == 0 || cols == 0) file_error(label, "array is empty (shape " + shape_text(array.shape) + ")");
  if (static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(cols) != array.data.size()) {
    file_error(label, "data holds " + std::to_string(array.data.size()) + " values, shape " +
                          shape_text(array.shape) + " needs " + std::to_string(rows * cols));
  }
  MatrixXd matrix(rows, cols);
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const double value = array.data[static_cast<std::size_t>(i * cols + j)];
      if (!std::isfinite(value)) {
        std::string out = "entry ";
        if (array.shape.size() == 2) out += message("(", i, ", ", j, ")");
        else out += message("[", i, "]");
        out += message(" is ", std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf", " (expected finite values)");
        file_error(label, out);
      }
      matrix(i, j) = value;
    }
  }
  return matrix;
}

std::string write_npy(const MatrixXd& matrix, Precision precision) {
  // MatrixXd is row-major, so data() is already C order.
  return write_values(matrix.data(), static_cast<std::size_t>(matrix.size()), {matrix.rows(), matrix.cols()},
                      precision);
}

std::string write_npy(const VectorXd& vector, Precision precision) {
  return write_values(vector.data(), static_cast<std::size_t>(vector.size()), {vector.size()}, precision);
}

std::string write_npy_int32(const std::vector<std::int32_t>& values, std::int64_t rows, std::int64_t cols) {
  if (rows < 0 || cols < 0 || static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(cols) != values.size()) {
    // A caller's programming error (no user input reaches here with a wrong count): no single parameter.
    fail(ErrorCode::kInvalidArgument, message("int32 .npy of shape (", rows, ", ", cols, ") given ",
                                              static_cast<double>(values.size()), " values"));
  }
  std::string out = npy_header("<i4", {rows, cols});
  out.reserve(out.size() + values.size() * 4);
  for (const std::int32_t value : values) append_le(out, static_cast<std::uint32_t>(value), 4);
  return out;
}

}  // namespace attnrank
