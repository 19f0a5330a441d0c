// Highway kernels against plain scalar loops, over shapes that hit every
// path (full vector blocks, single vectors, scalar tails, narrow outputs).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels.h"
#include "rng.h"

using namespace flowlab;

namespace {
std::vector<float> randv(Rng& r, size_t n) {
  std::vector<float> v(n);
  for (auto& x : v) x = r.normal();
  return v;
}
}  // namespace

TEST_CASE("matmul, matmul_bt, matmul_at match scalar loops on awkward shapes") {
  Rng r(7);
  const int shapes[][3] = {{1, 1, 1},   {5, 3, 2},  {7, 3, 17}, {9, 19, 33},
                           {33, 64, 2}, {4, 2, 64}, {6, 40, 1}, {13, 1100, 19}};  // K > 512: chunked sums
  for (auto& s : shapes) {
    const int M = s[0], K = s[1], N = s[2];
    CAPTURE(M);
    CAPTURE(K);
    CAPTURE(N);
    auto A = randv(r, size_t(M) * K), B = randv(r, size_t(K) * N), bias = randv(r, N);
    std::vector<float> C(size_t(M) * N), G(size_t(M) * N), S(size_t(M) * N), S0(size_t(M) * N);
    matmul(A.data(), B.data(), bias.data(), C.data(), M, K, N);
    matmul_bias_silu(A.data(), B.data(), bias.data(), G.data(), S.data(), M, K, N);
    matmul_bias_silu(A.data(), B.data(), bias.data(), nullptr, S0.data(), M, K, N);
    CHECK(S0 == S);  // without silu' the same activations
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        // float error grows with the sum of |terms|, not with the result.
        double ref = bias[j], mag = std::fabs(bias[j]);
        for (int k = 0; k < K; ++k) {
          ref += double(A[i * K + k]) * B[k * N + j];
          mag += std::fabs(double(A[i * K + k]) * B[k * N + j]);
        }
        CHECK(C[i * N + j] == doctest::Approx(ref).epsilon(1e-6).scale(mag));
        const double sg = 1 / (1 + std::exp(-ref));
        CHECK(S[i * N + j] == doctest::Approx(ref * sg).epsilon(1e-4));
        CHECK(G[i * N + j] == doctest::Approx(sg * (1 + ref * (1 - sg))).epsilon(1e-4));
      }
    // C2 = A·Bᵀ with B2: N×K.
    auto B2 = randv(r, size_t(N) * K);
    std::vector<float> C2(size_t(M) * N), C2F(size_t(M) * N);
    matmul_bt(A.data(), B2.data(), C2.data(), M, K, N);
    // With the epilogue F (the backward through a SiLU): the same products, times F.
    auto F = randv(r, size_t(M) * N);
    matmul_bt(A.data(), B2.data(), C2F.data(), M, K, N, F.data());
    for (size_t i = 0; i < C2.size(); ++i) CHECK(C2F[i] == C2[i] * F[i]);
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        double ref = 0, mag = 0;
        for (int k = 0; k < K; ++k) {
          ref += double(A[i * K + k]) * B2[j * K + k];
          mag += std::fabs(double(A[i * K + k]) * B2[j * K + k]);
        }
        CHECK(C2[i * N + j] == doctest::Approx(ref).epsilon(1e-6).scale(mag));
      }
    // C3 = Aᵀ·B3 with B3: M×N, and column sums of B3.
    auto B3 = randv(r, size_t(M) * N);
    std::vector<float> C3(size_t(K) * N), cs(N);
    matmul_at(A.data(), B3.data(), C3.data(), cs.data(), M, K, N);
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < N; ++j) {
        double ref = 0;
        for (int i = 0; i < M; ++i) ref += double(A[i * K + k]) * B3[i * N + j];
        CHECK(C3[k * N + j] == doctest::Approx(ref).epsilon(1e-5));
      }
    for (int j = 0; j < N; ++j) {
      double ref = 0;
      for (int i = 0; i < M; ++i) ref += B3[i * N + j];
      CHECK(cs[j] == doctest::Approx(ref).epsilon(1e-5));
    }
  }
}

TEST_CASE("silu and its derivative, including saturated inputs") {
  std::vector<float> z = {-200, -90, -10, -1, -0.1f, 0, 0.1f, 1, 10, 90, 200, 3};
  std::vector<float> y(z.size()), dz(z.size()), ones(z.size(), 1.0f), da(z.size()), g(z.size()), up(z.size()),
      one(1, 1.0f);
  silu(z.data(), y.data(), z.size());
  silu_backward(z.data(), ones.data(), dz.data(), z.size());
  // The forward's factor: z as a 12 × 1 product z·1 + 0; then up·G as matmul_bt's epilogue.
  const float zero = 0.0f;
  matmul_bias_silu(z.data(), one.data(), &zero, g.data(), da.data(), int(z.size()), 1, 1);
  CHECK(da == y);
  for (size_t i = 0; i < z.size(); ++i) up[i] = float(i) - 5.0f;
  matmul_bt(up.data(), one.data(), da.data(), int(z.size()), 1, 1, g.data());
  for (size_t i = 0; i < z.size(); ++i) {
    const double s = 1.0 / (1.0 + std::exp(-double(z[i])));
    CHECK(std::isfinite(y[i]));
    CHECK(y[i] == doctest::Approx(z[i] * s).epsilon(1e-5).scale(1e-6));
    CHECK(dz[i] == doctest::Approx(s * (1 + z[i] * (1 - s))).epsilon(1e-5).scale(1e-6));
    CHECK(g[i] == doctest::Approx(s * (1 + z[i] * (1 - s))).epsilon(1e-5).scale(1e-6));
    CHECK(da[i] == g[i] * up[i]);
  }
}

TEST_CASE("coupling_bound: RealNVP's bounded s, b and e = exp(-s), the tail's bits as a full vector's") {
  Rng r(11);
  const int n = 37;  // full vectors and a tail under every target
  std::vector<float> raw = randv(r, 2 * size_t(n));
  for (size_t i = 0; i < raw.size(); ++i) raw[i] *= 3.0f;
  raw[0] = 200.0f, raw[1] = -1e30f, raw[2] = -1e30f;  // saturated: s at its bounds, b at −b_max
  for (float b_max : {0.0f, 3.0f}) {
    CAPTURE(b_max);
    std::vector<float> s(n), b(n), e(n);
    coupling_bound(raw.data(), n, 2.0f, 0.25f, b_max, s.data(), b.data(), e.data());
    for (int i = 0; i < n; ++i) {
      const float rs = raw[2 * i], rb = raw[2 * i + 1], m = rs < 0 ? 0.25f : 2.0f;
      CHECK(s[i] == doctest::Approx(m * std::tanh(rs / m)).epsilon(1e-5));
      CHECK(b[i] == doctest::Approx(b_max > 0 ? b_max * std::tanh(rb / b_max) : rb).epsilon(1e-5));
      CHECK(e[i] == doctest::Approx(std::exp(-s[i])).epsilon(1e-5));
      CHECK(s[i] >= -0.25f);
      CHECK(s[i] <= 2.0f);
    }
    // The last 5 points on their own (a tail only): the same bits.
    std::vector<float> s5(5), b5(5), e5(5);
    coupling_bound(raw.data() + 2 * (n - 5), 5, 2.0f, 0.25f, b_max, s5.data(), b5.data(), e5.data());
    for (int i = 0; i < 5; ++i) {
      CHECK(s5[i] == s[n - 5 + i]);
      CHECK(b5[i] == b[n - 5 + i]);
      CHECK(e5[i] == e[n - 5 + i]);
    }
  }
}
