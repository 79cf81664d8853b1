// Singular values of an upper bidiagonal matrix B (diagonal d, superdiagonal e), values only, by
// implicitly shifted QR (Golub & Kahan 1965; Golub & Van Loan, Matrix Computations, 4th ed., Alg. 8.6.2)
// with LAPACK xBDSQR-style negligibility tests. O(n^2) work: at n = 1024 a few per cent of the O(n^3)
// bidiagonalisation that precedes it, where Eigen's divide and conquer (BDCSVD) cost as much as the
// bidiagonalisation itself for n <= 512 (docs/svd-choice.md).
#pragma once

#include <vector>

namespace attnrank {

// On entry d (n) and e (n - 1, empty when n <= 1) hold B; on return d holds the singular values in
// descending order (all >= 0) and e is overwritten. Normwise backward stable: each value is within a
// small multiple of eps * ||B|| of an exact singular value of B. Values at or below eps * ||B|| may be
// returned as exact zeros. Entries must be finite. Returns false if the iteration did not converge in
// 6 n^2 inner steps (LAPACK's bound; not observed in practice), leaving d unspecified.
template <class Real>
bool bidiagonal_singular_values(std::vector<Real>& d, std::vector<Real>& e);

extern template bool bidiagonal_singular_values<double>(std::vector<double>&, std::vector<double>&);
extern template bool bidiagonal_singular_values<float>(std::vector<float>&, std::vector<float>&);

}  // namespace attnrank
