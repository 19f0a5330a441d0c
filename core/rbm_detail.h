// Helpers shared by the RBM's source files: rbm.cc (data, model, exact
// quantities by enumeration), rbm_views.cc (the sheet's views of a model) and
// rbm_lab.cc (the training lab). Not part of the RBM's API (rbm.h).
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "rbm.h"

namespace flowlab::rbm_detail {

inline const double kNaN = std::numeric_limits<double>::quiet_NaN();

inline double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Streaming log-sum-exp: never exponentiates anything above the running max.
struct LogSumExp {
  double mx = -std::numeric_limits<double>::infinity(), s = 0;
  void add(double x) {
    if (x <= mx) {
      s += std::exp(x - mx);
    } else {
      s = s * std::exp(mx - x) + 1.0;
      mx = x;
    }
  }
  double value() const { return mx + std::log(s); }
};

// Visits all 2^K binary states s of one layer along a Gray code, keeping the
// field f = base + Σ_k s_k R_k (R: K × L rows) up to date with one row per
// step. fn(s, g, f): g is the integer whose bit k is s_k.
template <class Fn>
void gray_enumerate(int K, int L, const double* R, const double* base, Fn fn) {
  if (K > kMaxExactBits) throw std::invalid_argument("enumeration over more than 2^20 states");
  std::vector<double> f(base, base + L);
  std::vector<uint8_t> s(size_t(K), 0);
  uint64_t g = 0;
  fn(s.data(), g, f.data());
  for (uint64_t i = 1; i < (uint64_t(1) << K); ++i) {
    int k = 0;
    while (!((i >> k) & 1)) ++k;  // the bit that flips between Gray codes i−1 and i
    s[k] ^= 1;
    g ^= uint64_t(1) << k;
    const double sign = s[k] ? 1.0 : -1.0;
    const double* r = R + size_t(k) * L;
    for (int l = 0; l < L; ++l) f[l] += sign * r[l];
    fn(s.data(), g, f.data());
  }
}

std::vector<double> transpose(const std::vector<double>& W, int n, int m);  // n × m → m × n
void fill_uniform(Rng& rng, std::vector<float>& u, size_t n);               // n uniforms in [0, 1)

// The CD/PCD statistics of one batch V0 (B × n): positive term from V0,
// negative term after k sweeps from V0 (CD) or from `chains` (PCD, updated),
// both with h summed out (σ(b + vW)). dW, da, db = (pos − neg) / B.
void cd_statistics(const Rbm& r, const float* V0, int B, int k, std::vector<float>* chains, Rng& rng, float* dW,
                   float* da, float* db);

}  // namespace flowlab::rbm_detail
