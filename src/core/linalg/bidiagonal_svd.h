// Singular values of an upper bidiagonal matrix B (diagonal d, superdiagonal e), values only: after
// LAPACK xBDSQR-style splitting, each unreduced block by dqds (the differential qd algorithm with shifts,
// as LAPACK's xLASQ1 for values only), with implicitly shifted QR (Golub & Kahan 1965; Golub & Van Loan,
// Matrix Computations, 4th ed., Alg. 8.6.2) as its fallback. O(n^2) work: at n = 1024 a few per cent of
// the O(n^3) bidiagonalisation that precedes it, where Eigen's divide and conquer (BDCSVD) cost as much as
// the bidiagonalisation itself for n <= 512 (docs/svd-choice.md).
#pragma once

#include <vector>

namespace attnrank {

// On entry d (n) and e (n - 1, empty when n <= 1) hold B; on return d holds the singular values in
// descending order (all >= 0) and e is overwritten. Normwise backward stable: each value is within a
// small multiple of eps * ||B|| of an exact singular value of B; where no entry of B is at or below
// eps * ||B|| (none is set to zero) and dqds finishes, each value is also within a small multiple of
// n eps of itself (high relative accuracy). Values at or below eps * ||B|| may be returned as exact
// zeros. Entries must be finite. The same bits natively and in wasm (IEEE operations and square roots
// only, no contraction). Returns false if the QR fallback did not converge in 6 n^2 inner steps
// (LAPACK's bound; not observed in practice), leaving d unspecified.
template <class Real>
bool bidiagonal_singular_values(std::vector<Real>& d, std::vector<Real>& e);

extern template bool bidiagonal_singular_values<double>(std::vector<double>&, std::vector<double>&);
extern template bool bidiagonal_singular_values<float>(std::vector<float>&, std::vector<float>&);

// The same contract by the implicitly shifted Golub-Kahan QR alone: the fallback of
// bidiagonal_singular_values for a block its dqds does not finish, exposed for tests and benchmarks.
template <class Real>
bool bidiagonal_singular_values_by_qr(std::vector<Real>& d, std::vector<Real>& e);

extern template bool bidiagonal_singular_values_by_qr<double>(std::vector<double>&, std::vector<double>&);
extern template bool bidiagonal_singular_values_by_qr<float>(std::vector<float>&, std::vector<float>&);

}  // namespace attnrank
