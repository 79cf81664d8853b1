// The lab's fixed-order kernels (src/core/lab/kernels.h): every vectorised kernel is bit-identical to its
// naive loop on odd sizes (1, 3, 5, 17, 64, 65 for each of m, n, k, and k across the 256-bit path's depth
// slices; the matrix-vector products too), with padded leading dimensions, in float and double, on data
// holding zeros, -0, subnormals and large values; and a fixed workload's output hashes (FNV-1a over the
// bytes) to constants pinned here.
// Natively every check runs on each vector path the CPU can take (the 128-bit SSE2 path, and the 256-bit
// AVX2 path where the CPU has it). This same file runs compiled to wasm under node, so the pinned hashes
// prove native == wasm for the kernels.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "lab/kernels.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

constexpr int kSizes[] = {1, 3, 5, 17, 64, 65};
constexpr int kPadding = 3;  // leading dimension = columns + kPadding, so strides are exercised

// FNV-1a, 64-bit (Fowler, Noll, Vo): a fixed, platform-independent hash of raw bytes.
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
template <typename T>
std::uint64_t fnv1a(const std::vector<T>& values, std::uint64_t hash = kFnvOffset) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size() * sizeof(T); ++i) hash = (hash ^ bytes[i]) * kFnvPrime;
  return hash;
}

// Test data in [-1, 1) from the Lcg, with every 7th entry replaced by a special value (0, -0, a
// subnormal, a large value), so flush-to-zero or a reordered sum would change bits.
template <typename T>
std::vector<T> data_of(std::size_t count, std::uint64_t seed) {
  test::Lcg lcg(seed);
  std::vector<T> out(count);
  const T specials[] = {T(0), -T(0), std::numeric_limits<T>::denorm_min() * T(3), T(1e4), T(-3.5e-3)};
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = static_cast<T>(lcg.next());
    if (i % 7 == 3) out[i] = specials[(i / 7) % 5];
  }
  return out;
}

// Each vector path this build and CPU can take: the 128-bit one, then the 256-bit one where available.
std::vector<bool> vector_paths() {
  std::vector<bool> paths{false};
  if (wide_vectors_available()) paths.push_back(true);
  return paths;
}

// Takes the 256-bit path (wide) or the 128-bit one for its lifetime, then restores the previous choice.
class VectorPath {
 public:
  explicit VectorPath(bool wide) : before_(set_wide_vectors(wide)) {}
  ~VectorPath() { set_wide_vectors(before_); }
  VectorPath(const VectorPath&) = delete;
  VectorPath& operator=(const VectorPath&) = delete;

 private:
  bool before_;
};

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

enum class Product { kNN, kNT, kTN };

// C = op(A, B) (or C += with accumulate) through the fast kernel.
template <typename T>
void fast_product(Product product, bool accumulate, int m, int n, int k, const T* a, int lda, const T* b, int ldb,
                  T* c, int ldc) {
  switch (product) {
    case Product::kNN:
      accumulate ? matmul_nn_add(m, n, k, a, lda, b, ldb, c, ldc) : matmul_nn(m, n, k, a, lda, b, ldb, c, ldc);
      break;
    case Product::kNT:
      accumulate ? matmul_nt_add(m, n, k, a, lda, b, ldb, c, ldc) : matmul_nt(m, n, k, a, lda, b, ldb, c, ldc);
      break;
    case Product::kTN:
      accumulate ? matmul_tn_add(m, n, k, a, lda, b, ldb, c, ldc) : matmul_tn(m, n, k, a, lda, b, ldb, c, ldc);
      break;
  }
}

template <typename T>
void reference_product(Product product, bool accumulate, int m, int n, int k, const T* a, int lda, const T* b,
                       int ldb, T* c, int ldc) {
  switch (product) {
    case Product::kNN: matmul_nn_reference(m, n, k, a, lda, b, ldb, c, ldc, accumulate); break;
    case Product::kNT: matmul_nt_reference(m, n, k, a, lda, b, ldb, c, ldc, accumulate); break;
    case Product::kTN: matmul_tn_reference(m, n, k, a, lda, b, ldb, c, ldc, accumulate); break;
  }
}

// Shapes of A and B as stored: nn A (m, k) B (k, n); nt A (m, k) B (n, k); tn A (k, m) B (k, n).
struct Operands {
  int a_rows, a_cols, b_rows, b_cols;
};
Operands operands_of(Product product, int m, int n, int k) {
  switch (product) {
    case Product::kNN: return {m, k, k, n};
    case Product::kNT: return {m, k, n, k};
    case Product::kTN: return {k, m, k, n};
  }
  return {0, 0, 0, 0};
}

const char* product_name(Product product) {
  return product == Product::kNN ? "nn" : product == Product::kNT ? "nt" : "tn";
}

// Runs every (m, n, k) in ms x ns x ks through fast and reference paths and counts bit differences.
template <typename T>
int count_products_matching_reference(Product product, bool accumulate, const std::vector<int>& ms,
                                      const std::vector<int>& ns, const std::vector<int>& ks) {
  int checked = 0;
  for (int m : ms)
    for (int n : ns)
      for (int k : ks) {
        const Operands shape = operands_of(product, m, n, k);
        const int lda = shape.a_cols + kPadding, ldb = shape.b_cols + kPadding, ldc = n + kPadding;
        const auto a = data_of<T>(static_cast<std::size_t>(shape.a_rows) * lda, 11 + m);
        const auto b = data_of<T>(static_cast<std::size_t>(shape.b_rows) * ldb, 23 + n);
        auto fast = data_of<T>(static_cast<std::size_t>(m) * ldc, 37 + k);  // C's start (padding too)
        auto reference = fast;
        fast_product(product, accumulate, m, n, k, a.data(), lda, b.data(), ldb, fast.data(), ldc);
        reference_product(product, accumulate, m, n, k, a.data(), lda, b.data(), ldb, reference.data(), ldc);
        EXPECT_TRUE(same_bits(fast, reference)) << product_name(product) << (accumulate ? "_add" : "") << " m=" << m
                                                << " n=" << n << " k=" << k << " (" << kernel_isa() << ")";
        if (!same_bits(fast, reference)) return checked;
        ++checked;
      }
  return checked;
}

template <typename T>
void expect_products_match_reference(Product product, bool accumulate) {
  const std::vector<int> sizes(std::begin(kSizes), std::end(kSizes));
  EXPECT_EQ(count_products_matching_reference<T>(product, accumulate, sizes, sizes, sizes), 216);
}

TEST(LabKernels, ProductsAreBitIdenticalToTheNaiveLoopF32) {
  for (bool wide : vector_paths()) {
    VectorPath path(wide);
    for (Product product : {Product::kNN, Product::kNT, Product::kTN}) {
      expect_products_match_reference<float>(product, false);
      expect_products_match_reference<float>(product, true);
    }
  }
}

TEST(LabKernels, ProductsAreBitIdenticalToTheNaiveLoopF64) {
  for (bool wide : vector_paths()) {
    VectorPath path(wide);
    for (Product product : {Product::kNN, Product::kNT, Product::kTN}) {
      expect_products_match_reference<double>(product, false);
      expect_products_match_reference<double>(product, true);
    }
  }
}

// k beyond one of the 256-bit path's depth slices (256: C is stored and the next slice continues from
// it), with every row remainder of its 6-row block (1 .. 5 rows left) and every column tail (2 vectors,
// 1 vector, a half vector, scalars), nn, nt and tn, overwrite and accumulate.
TEST(LabKernels, ProductsAcrossDepthSlicesAreBitIdentical) {
  const std::vector<int> ms = {1, 5, 6, 7, 9, 11, 13}, ns = {1, 4, 7, 12, 16, 23, 40}, ks = {255, 256, 257, 600};
  const int expected = static_cast<int>(ms.size() * ns.size() * ks.size());
  for (bool wide : vector_paths()) {
    VectorPath path(wide);
    for (Product product : {Product::kNN, Product::kNT, Product::kTN})
      for (bool accumulate : {false, true}) {
        EXPECT_EQ(count_products_matching_reference<float>(product, accumulate, ms, ns, ks), expected);
        EXPECT_EQ(count_products_matching_reference<double>(product, accumulate, ms, ns, ks), expected);
      }
  }
}

// The definition itself, on a case small enough to do by hand: [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50].
TEST(LabKernels, ProductsComputeTheProduct) {
  const std::vector<double> a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
  std::vector<double> c(4, -1.0);
  matmul_nn(2, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2);
  EXPECT_EQ(c, (std::vector<double>{19, 22, 43, 50}));
  matmul_nt(2, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2);  // A B^T
  EXPECT_EQ(c, (std::vector<double>{17, 23, 39, 53}));
  matmul_tn(2, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2);  // A^T B
  EXPECT_EQ(c, (std::vector<double>{26, 30, 38, 44}));
  matmul_tn_add(2, 2, 2, a.data(), 2, b.data(), 2, c.data(), 2);  // += A^T B
  EXPECT_EQ(c, (std::vector<double>{52, 60, 76, 88}));
}

// One accumulator, k ascending: (1e8 + 1) - 1e8 in float is 0 (1e8 + 1 rounds to 1e8), where a
// reordered or pairwise sum could give 1. The vector path must reproduce the sequential rounding.
void expect_sum_order_is_k_ascending() {
  const int k = 3, n = 9;  // 9 columns: vectors and a scalar tail in f32 on either path
  std::vector<float> a = {1e8f, 1.0f, -1e8f};
  std::vector<float> b(static_cast<std::size_t>(k) * n, 1.0f);
  std::vector<float> c(n, 5.0f);
  matmul_nn(1, n, k, a.data(), k, b.data(), n, c.data(), n);
  for (float value : c) EXPECT_EQ(value, 0.0f);
  std::vector<float> sums(n, 0.0f);
  column_sums_add(k, n, std::vector<float>{1e8f, 1e8f, 1e8f, 1e8f, 1e8f, 1e8f, 1e8f, 1e8f, 1e8f, 1, 1, 1, 1, 1, 1, 1, 1,
                                           1, -1e8f, -1e8f, -1e8f, -1e8f, -1e8f, -1e8f, -1e8f, -1e8f, -1e8f}
                                .data(),
                  n, sums.data());
  for (float value : sums) EXPECT_EQ(value, 0.0f);
}

TEST(LabKernels, SumOrderIsKAscendingWithOneAccumulator) {
  for (bool wide : vector_paths()) {
    VectorPath path(wide);
    SCOPED_TRACE(kernel_isa());
    expect_sum_order_is_k_ascending();
  }
}

template <typename T>
void expect_reductions_match_reference() {
  for (int rows : kSizes)
    for (int cols : kSizes) {
      const int ld = cols + kPadding;
      const auto a = data_of<T>(static_cast<std::size_t>(rows) * ld, 5 + rows);
      const auto b = data_of<T>(static_cast<std::size_t>(rows) * ld, 9 + cols);
      auto fast = data_of<T>(static_cast<std::size_t>(cols), 3);
      auto reference = fast;
      column_sums_add(rows, cols, a.data(), ld, fast.data());
      column_sums_add_reference(rows, cols, a.data(), ld, reference.data());
      ASSERT_TRUE(same_bits(fast, reference)) << "column_sums_add rows=" << rows << " cols=" << cols;
      // row_sums and row_dots are scalar loops: check them against the sum written out here.
      std::vector<T> sums(static_cast<std::size_t>(rows)), dots(static_cast<std::size_t>(rows));
      row_sums(rows, cols, a.data(), ld, sums.data());
      row_dots(rows, cols, a.data(), ld, b.data(), ld, dots.data());
      for (int i = 0; i < rows; ++i) {
        T sum = 0, dot = 0;
        for (int j = 0; j < cols; ++j) {
          sum = sum + a[static_cast<std::size_t>(i) * ld + j];
          dot = dot + a[static_cast<std::size_t>(i) * ld + j] * b[static_cast<std::size_t>(i) * ld + j];
        }
        ASSERT_TRUE(same_bits(std::vector<T>{sum, dot}, std::vector<T>{sums[i], dots[i]})) << "row " << i;
      }
    }
}

TEST(LabKernels, ReductionsAreBitIdenticalToTheNaiveLoop) {
  expect_reductions_match_reference<float>();
  expect_reductions_match_reference<double>();
}

// The matrix-vector products (the SVD's reduction, linalg/bidiagonalization.cpp): gemv_n and gemv_t,
// overwrite and accumulate, bit-identical to their loops for rows and columns 0 .. 65 around the 8-row
// blocks and passes, the leftover blocks of 2 or 4 rows, the 4-row groups and the vector widths, on the
// same special-valued data, padded rows.
template <typename T>
int count_matrix_vector_products_matching_reference() {
  int checked = 0;
  for (int rows : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 64, 65})
    for (int cols : {0, 1, 2, 3, 4, 5, 8, 17, 65})
      for (bool accumulate : {false, true})
        for (bool transposed : {false, true}) {
          const int ld = cols + kPadding;
          const auto a = data_of<T>(static_cast<std::size_t>(rows) * ld + 1, 61 + rows);
          const auto x = data_of<T>(static_cast<std::size_t>(transposed ? rows : cols) + 1, 71 + cols);
          auto fast = data_of<T>(static_cast<std::size_t>(transposed ? cols : rows) + 2, 81 + rows + cols);
          auto reference = fast;  // the entry past the outputs must stay untouched
          if (transposed) {
            accumulate ? gemv_t_add(rows, cols, a.data(), ld, x.data(), fast.data())
                       : gemv_t(rows, cols, a.data(), ld, x.data(), fast.data());
            gemv_t_reference(rows, cols, a.data(), ld, x.data(), reference.data(), accumulate);
          } else {
            accumulate ? gemv_n_add(rows, cols, a.data(), ld, x.data(), fast.data())
                       : gemv_n(rows, cols, a.data(), ld, x.data(), fast.data());
            gemv_n_reference(rows, cols, a.data(), ld, x.data(), reference.data(), accumulate);
          }
          EXPECT_TRUE(same_bits(fast, reference)) << (transposed ? "gemv_t" : "gemv_n") << (accumulate ? "_add" : "")
                                                  << " rows=" << rows << " cols=" << cols;
          checked += same_bits(fast, reference);
        }
  return checked;
}

TEST(LabKernels, MatrixVectorProductsAreBitIdenticalToTheNaiveLoop) {
  EXPECT_EQ(count_matrix_vector_products_matching_reference<float>(), 16 * 9 * 4);
  EXPECT_EQ(count_matrix_vector_products_matching_reference<double>(), 16 * 9 * 4);
}

// The definitions on a hand case: [1 2 3; 4 5 6] (1, 0, -1) = (-2, -2); its transpose times (1, -1) =
// (-3, -3, -3); the _add variants add to y.
TEST(LabKernels, MatrixVectorProductsComputeTheProduct) {
  const std::vector<double> a = {1, 2, 3, 4, 5, 6};
  std::vector<double> y(2, 7.0), z(3, 7.0);
  gemv_n(2, 3, a.data(), 3, std::vector<double>{1, 0, -1}.data(), y.data());
  EXPECT_EQ(y, (std::vector<double>{-2, -2}));
  gemv_n_add(2, 3, a.data(), 3, std::vector<double>{1, 0, -1}.data(), y.data());
  EXPECT_EQ(y, (std::vector<double>{-4, -4}));
  gemv_t(2, 3, a.data(), 3, std::vector<double>{1, -1}.data(), z.data());
  EXPECT_EQ(z, (std::vector<double>{-3, -3, -3}));
  gemv_t_add(2, 3, a.data(), 3, std::vector<double>{1, -1}.data(), z.data());
  EXPECT_EQ(z, (std::vector<double>{-6, -6, -6}));
}

// The fixed workload: every product and add variant, then column sums, at sizes that use the 4-row
// blocks, the single-row tail, both vector widths and the scalar column tail.
template <typename T>
std::uint64_t workload_hash() {
  const int m = 37, n = 23, k = 65;
  const auto a = data_of<T>(static_cast<std::size_t>(m) * k, 101);   // (m, k), also read as (k, m)^T below
  const auto b = data_of<T>(static_cast<std::size_t>(k) * n, 202);   // (k, n)
  const auto bt = data_of<T>(static_cast<std::size_t>(n) * k, 303);  // (n, k)
  const auto at = data_of<T>(static_cast<std::size_t>(k) * m, 404);  // (k, m)
  std::vector<T> c(static_cast<std::size_t>(m) * n);
  std::uint64_t hash = kFnvOffset;
  matmul_nn(m, n, k, a.data(), k, b.data(), n, c.data(), n);
  hash = fnv1a(c, hash);
  matmul_nt_add(m, n, k, a.data(), k, bt.data(), k, c.data(), n);
  hash = fnv1a(c, hash);
  matmul_tn_add(m, n, k, at.data(), m, b.data(), n, c.data(), n);
  hash = fnv1a(c, hash);
  std::vector<T> sums(static_cast<std::size_t>(n), T(0));
  column_sums_add(m, n, c.data(), n, sums.data());
  return fnv1a(sums, hash);
}

// Pinned from the native x86-64 build; the wasm build of this file must produce the same constants.
constexpr std::uint64_t kWorkloadHashF32 = 10872122439100896726ULL;
constexpr std::uint64_t kWorkloadHashF64 = 1996741807114841333ULL;

TEST(LabKernels, PinnedWorkloadHashNativeEqualsWasm) {
  for (bool wide : vector_paths()) {
    VectorPath path(wide);
    EXPECT_EQ(workload_hash<float>(), kWorkloadHashF32) << "isa " << kernel_isa();
    EXPECT_EQ(workload_hash<double>(), kWorkloadHashF64) << "isa " << kernel_isa();
  }
}

TEST(LabKernels, VectorPathIsCompiledIn) {
#if defined(__wasm_simd128__)
  EXPECT_FALSE(wide_vectors_available());
  EXPECT_EQ(std::string(kernel_isa()), "wasm-simd128");
#elif defined(__SSE2__)
  // The 256-bit path is the default wherever the CPU has AVX2 (x86-64 GCC or Clang builds).
  EXPECT_EQ(std::string(kernel_isa()), wide_vectors_available() ? "avx2" : "sse2");
  {
    VectorPath narrow(false);
    EXPECT_EQ(std::string(kernel_isa()), "sse2");
  }
  if (wide_vectors_available()) {
    VectorPath wide(true);
    EXPECT_EQ(std::string(kernel_isa()), "avx2");
  }
#else
  GTEST_SKIP() << "no 128-bit vector path on this target";
#endif
}

}  // namespace
}  // namespace attnrank::lab
