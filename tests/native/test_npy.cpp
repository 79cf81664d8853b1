// Tests of the .npy reader/writer: byte-exact agreement with numpy 1.24's np.save (golden bytes below
// were produced by Debian's python3-numpy), round trips in f64/f32, hand-built headers for versions
// 2.0/3.0 and Fortran order, and every malformed-file path with its exact message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/io/npy.h"
#include "test_support.h"

namespace attnrank {
namespace {

using test::expect_error;

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string le_bytes(std::uint64_t value, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return out;
}

std::string f64_bytes(std::initializer_list<double> values) {
  std::string out;
  for (double v : values) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    out += le_bytes(bits, 8);
  }
  return out;
}

// A .npy file from parts: magic, version major.0, header length (2 bytes for 1.x, else 4), header
// text (a newline appended), data bytes. No alignment: readers must not require it.
std::string make_npy(int major, const std::string& header, const std::string& data) {
  const std::string text = header + "\n";
  return std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0' +
         le_bytes(text.size(), major == 1 ? 2 : 4) + text + data;
}

// np.save(f, np.array([[1.5, -2.0, 0.1], [3.0, 1e-300, -0.0]]))
const char kGoldenF64[] =
    "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73"
    "652c20277368617065273a2028322c2033292c207d2020202020202020202020202020202020202020202020202020202020"
    "20202020202020202020202020202020202020202020202020202020200a000000000000f83f00000000000000c09a999999"
    "9999b93f000000000000084059f3f8c21f6ea5010000000000000080";
// np.save(f, np.array([1.5, -2.25, 0.1], dtype=np.float32))
const char kGoldenF32Vector[] =
    "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
    "652c20277368617065273a2028332c292c207d202020202020202020202020202020202020202020202020202020202020"
    "2020202020202020202020202020202020202020202020202020202020200a0000c03f000010c0cdcccc3d";

// np.save(f, np.array([[0, -1, 7], [2147483647, -2147483648, 42]], dtype=np.int32))
const char kGoldenInt32[] =
    "934e554d5059010076007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a2046616c73"
    "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
    "202020202020202020202020202020202020202020202020202020202020200a00000000ffffffff07000000ffffff7f"
    "000000802a000000";

MatrixXd golden_matrix() {
  MatrixXd m(2, 3);
  m << 1.5, -2.0, 0.1, 3.0, 1e-300, -0.0;
  return m;
}

TEST(WriteNpy, MatchesNumpyBytesExactly) {
  EXPECT_EQ(write_npy(golden_matrix(), Precision::F64), from_hex(kGoldenF64));
  VectorXd v(3);
  v << 1.5, -2.25, 0.1;
  EXPECT_EQ(write_npy(v, Precision::F32), from_hex(kGoldenF32Vector));
}

// The lab's dumped tokens and targets (-1 where no loss is taken): int32, not a float file relabelled.
TEST(WriteNpy, Int32MatchesNumpyBytesExactly) {
  EXPECT_EQ(write_npy_int32({0, -1, 7, 2147483647, -2147483647 - 1, 42}, 2, 3), from_hex(kGoldenInt32));
  const std::string empty_rows = write_npy_int32({}, 0, 64);
  EXPECT_NE(empty_rows.find("'descr': '<i4', 'fortran_order': False, 'shape': (0, 64), }"), std::string::npos);
  EXPECT_EQ(empty_rows.size() % 64, 0u);
  expect_error([] { write_npy_int32({1, 2, 3}, 2, 2); }, ErrorCode::kInvalidArgument,
               "int32 .npy of shape (2, 2) given 3 values");
}

TEST(WriteNpy, HeaderIsAlignedTo64Bytes) {
  for (int rows : {1, 9, 10, 99, 100, 12345}) {
    const std::string bytes = write_npy(MatrixXd(MatrixXd::Zero(rows, 2)), Precision::F64);
    const std::size_t header_end = 10 + static_cast<unsigned char>(bytes[8]) + 256 * static_cast<unsigned char>(bytes[9]);
    EXPECT_EQ(header_end % 64, 0u) << "rows=" << rows;
    EXPECT_EQ(bytes[header_end - 1], '\n');
    EXPECT_EQ(bytes.size(), header_end + 16u * rows);
  }
}

TEST(ParseNpy, ReadsNumpyGoldenFiles) {
  const NpyArray a = parse_npy(from_hex(kGoldenF64), "q");
  ASSERT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_FALSE(a.is_float32);
  EXPECT_FALSE(a.fortran_order);
  EXPECT_EQ(npy_to_matrix(a, "q"), golden_matrix());
  EXPECT_TRUE(std::signbit(a.data[5]));  // -0.0 kept
  const NpyArray v = parse_npy(from_hex(kGoldenF32Vector), "v");
  ASSERT_EQ(v.shape, (std::vector<std::int64_t>{3}));
  EXPECT_TRUE(v.is_float32);
  EXPECT_EQ(v.data[2], static_cast<double>(0.1f));
  const MatrixXd column = npy_to_matrix(v, "v");  // 1-D of length L reads as (L, 1)
  EXPECT_EQ(column.rows(), 3);
  EXPECT_EQ(column.cols(), 1);
  EXPECT_EQ(column(1, 0), -2.25);
}

TEST(ParseNpy, RoundTripsF64BitForBitAndF32ToFloatRounding) {
  MatrixXd m(3, 2);
  m << 4.9e-324, -1.0 / 3.0, 1e308, 2.0, -7.25, std::nextafter(1.0, 2.0);
  const NpyArray a64 = parse_npy(write_npy(m, Precision::F64), "m");
  EXPECT_EQ(npy_to_matrix(a64, "m"), m);
  MatrixXd small(2, 2);
  small << -1.0 / 3.0, 0.1, 2.5, -7.25;
  const NpyArray b32 = parse_npy(write_npy(small, Precision::F32), "m");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(b32.data[i], static_cast<double>(static_cast<float>(small.data()[i])));
}

TEST(ParseNpy, FortranOrderIsConvertedToRowMajor) {
  // (2, 3) stored column by column: (0,0) (1,0) (0,1) (1,1) (0,2) (1,2)
  const std::string bytes = make_npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                     f64_bytes({1, 4, 2, 5, 3, 6}));
  const NpyArray a = parse_npy(bytes, "k");
  EXPECT_TRUE(a.fortran_order);
  EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(ParseNpy, AnEmptyFortranArrayWithAHugeDimensionIsReadAtOnce) {
  // Shape (9999999999, 0) in Fortran order: the reordering loop ran 10^10 empty rows (a fuzz timeout). Each
  // case takes microseconds now; before, the first did not finish in 60 s.
  for (const char* shape : {"(9999999999, 0)", "(0, 9999999999)", "(0, 0)"}) {
    const NpyArray a = parse_npy(
        make_npy(1, std::string("{'descr': '<f8', 'fortran_order': True, 'shape': ") + shape + ", }", ""), "q");
    EXPECT_TRUE(a.data.empty()) << shape;
  }
}

TEST(ParseNpy, Versions2And3UseFourByteHeaderLength) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }";
  for (int major : {2, 3}) {
    const NpyArray a = parse_npy(make_npy(major, header, f64_bytes({0.5, -8})), "q");
    EXPECT_EQ(a.data, (std::vector<double>{0.5, -8})) << "version " << major;
  }
  // Key order, quotes and spacing are free in the dict literal.
  const NpyArray b = parse_npy(make_npy(1, "{ \"shape\" : (2,) ,'fortran_order':False,'descr':'<f8'}",
                                        f64_bytes({1, 2})), "q");
  EXPECT_EQ(b.shape, (std::vector<std::int64_t>{2}));
}

TEST(ParseNpy, RejectsWrongMagicAndVersion) {
  expect_error([&] { parse_npy(std::string("PK\x03\x04 not npy"), "q"); }, ErrorCode::kInvalidFile, "q: not a .npy file (missing the \\x93NUMPY magic string)");
  expect_error([&] { parse_npy(std::string("\x93NUM", 4), "q"); }, ErrorCode::kInvalidFile, "q: not a .npy file (missing the \\x93NUMPY magic string)");
  expect_error([&] { parse_npy(make_npy(4, "{}", ""), "q"); }, ErrorCode::kInvalidFile, "q: unsupported .npy version 4.0 (expected 1.0, 2.0 or 3.0)");
  std::string minor = make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", "");
  minor[7] = 1;
  expect_error([&] { parse_npy(minor, "q"); }, ErrorCode::kInvalidFile, "q: unsupported .npy version 1.1 (expected 1.0, 2.0 or 3.0)");
}

TEST(ParseNpy, RejectsBadHeaders) {
  expect_error([&] { parse_npy(make_npy(1, "['descr', '<f8']", ""), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: expected '{'");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'shape': (2,), }", f64_bytes({1, 2})), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: missing key 'descr', 'fortran_order' or 'shape'");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", f64_bytes({1})), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: 'fortran_order' must be True or False");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", ""), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: 'shape' must be a tuple of non-negative integers");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", f64_bytes({1})), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: unexpected or repeated key 'x'");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f64_bytes({1})), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: 'descr' is not a string (structured dtypes are not supported)");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ", f64_bytes({1})), "q"); }, ErrorCode::kInvalidFile, "q: bad .npy header: expected ',' or '}'");
}

TEST(ParseNpy, RejectsUnsupportedDtypes) {
  const auto with_dtype = [](const std::string& descr) {
    return make_npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }", f64_bytes({1}));
  };
  expect_error([&] { parse_npy(with_dtype(">f8"), "q"); }, ErrorCode::kInvalidFile, "q: dtype '>f8' is not supported (expected '<f4' or '<f8')");
  expect_error([&] { parse_npy(with_dtype("<i8"), "q"); }, ErrorCode::kInvalidFile, "q: dtype '<i8' is not supported (expected '<f4' or '<f8')");
  expect_error([&] { parse_npy(with_dtype("<c16"), "q"); }, ErrorCode::kInvalidFile, "q: dtype '<c16' is not supported (expected '<f4' or '<f8')");
  expect_error([&] { parse_npy(with_dtype("|O"), "q"); }, ErrorCode::kInvalidFile, "q: dtype '|O' is not supported (expected '<f4' or '<f8')");
}

TEST(ParseNpy, RejectsShapesOtherThan1Or2D) {
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }",
                                  f64_bytes({1, 2, 3, 4, 5, 6, 7, 8})), "q"); }, ErrorCode::kInvalidFile, "q: shape (2, 2, 2) has 3 dimensions (expected 1 or 2)");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", f64_bytes({1})), "q"); }, ErrorCode::kInvalidFile, "q: shape () has 0 dimensions (expected 1 or 2)");
}

TEST(ParseNpy, RejectsLengthMismatchTruncationAndOverflow) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
  expect_error([&] { parse_npy(make_npy(1, header, f64_bytes({1, 2, 3, 4, 5})), "q"); }, ErrorCode::kInvalidFile, "q: data length 40 bytes does not match shape (2, 2) of '<f8' (32 bytes)");
  const std::string full = make_npy(1, header, f64_bytes({1, 2, 3, 4}));
  expect_error([&] { parse_npy(full.substr(0, full.size() - 3), "q"); }, ErrorCode::kInvalidFile, "q: data is truncated: shape (2, 2) of '<f8' needs 32 bytes, file has 29");
  expect_error([&] { parse_npy(full.substr(0, 30), "q"); }, ErrorCode::kInvalidFile, "q: file is truncated inside the header (" + std::to_string(header.size() + 1) +
                   " header bytes declared, 20 present)");
  expect_error([&] { parse_npy(full.substr(0, 9), "q"); }, ErrorCode::kInvalidFile, "q: file is truncated inside the .npy preamble");
  // 2^32 * 2^32 elements overflows 64 bits; must be an error, not a wrapped-around small count.
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                                  ""), "q"); }, ErrorCode::kInvalidFile, "q: shape (4294967296, 4294967296) is too large (element count overflows)");
  expect_error([&] { parse_npy(make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                                  ""), "q"); }, ErrorCode::kInvalidFile, "q: shape has a dimension above 2^63 - 1 (too large)");
}

TEST(NpyToMatrix, RejectsNonFiniteValuesNamingTheIndex) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
  expect_error([&] { npy_to_matrix(parse_npy(make_npy(1, header, f64_bytes({1, 2, NAN, 4})), "q"), "q"); }, ErrorCode::kInvalidFile, "q: entry (1, 0) is nan (expected finite values)");
  const std::string vector_header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
  expect_error([&] { npy_to_matrix(parse_npy(make_npy(1, vector_header, f64_bytes({1, 2, -INFINITY})), "k"), "k"); }, ErrorCode::kInvalidFile, "k: entry [2] is -inf (expected finite values)");
  expect_error([&] { npy_to_matrix(parse_npy(make_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4), }", ""),
                                       "k"), "k"); }, ErrorCode::kInvalidFile, "k: array is empty (shape (0, 4))");
}

}  // namespace
}  // namespace attnrank
