// MLP backward against central finite differences, and Adam against a hand
// computation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "mlp.h"

using namespace flowlab;

namespace {
// L = ½ Σ (y − target)², so dL/dy = y − target.
double half_sq_loss(Mlp& net, const std::vector<float>& x, const std::vector<float>& target, int n) {
  const float* y = net.forward(x.data(), n);
  double l = 0;
  for (size_t i = 0; i < target.size(); ++i) l += 0.5 * double(y[i] - target[i]) * (y[i] - target[i]);
  return l;
}
}  // namespace

TEST_CASE("MLP gradient (parameters and input) matches central finite differences") {
  Mlp net({3, 16, 16, 2});
  Rng r(3);
  net.init(r);
  const int n = 5;
  std::vector<float> x(3 * n), target(2 * n);
  for (auto& v : x) v = r.normal();
  for (auto& v : target) v = r.normal();

  const float* y = net.forward(x.data(), n);
  std::vector<float> dy(2 * n), grad(net.num_params(), 0.0f), dx(3 * n);
  for (int i = 0; i < 2 * n; ++i) dy[i] = y[i] - target[i];
  net.backward(dy.data(), grad.data(), dx.data());

  // Float forward passes: the loss difference carries ~1e-6 of rounding, so
  // errors are measured relative to max(|fd| + |grad|, 0.05).
  const float h = 1e-2f;
  double max_rel = 0;
  for (size_t p = 0; p < net.num_params(); p += 7) {  // every 7th parameter, all layers
    const float keep = net.params()[p];
    net.params()[p] = keep + h;
    const double lp = half_sq_loss(net, x, target, n);
    net.params()[p] = keep - h;
    const double lm = half_sq_loss(net, x, target, n);
    net.params()[p] = keep;
    const double fd = (lp - lm) / (2 * h);
    max_rel = std::max(max_rel, std::fabs(fd - grad[p]) / std::max(5e-2, std::fabs(fd) + std::fabs(grad[p])));
  }
  MESSAGE("max relative error over parameters: " << max_rel);
  CHECK(max_rel < 2e-3);

  double max_rel_x = 0;
  for (int k = 0; k < 3 * n; ++k) {
    const float keep = x[k];
    x[k] = keep + h;
    const double lp = half_sq_loss(net, x, target, n);
    x[k] = keep - h;
    const double lm = half_sq_loss(net, x, target, n);
    x[k] = keep;
    const double fd = (lp - lm) / (2 * h);
    max_rel_x = std::max(max_rel_x, std::fabs(fd - dx[k]) / std::max(5e-2, std::fabs(fd) + std::fabs(dx[k])));
  }
  CHECK(max_rel_x < 2e-3);
}

TEST_CASE("backward accumulates into grad") {
  Mlp net({3, 8, 2});
  Rng r(5);
  net.init(r);
  std::vector<float> x = {0.1f, -0.2f, 0.3f}, dy = {1.0f, -1.0f};
  std::vector<float> g1(net.num_params(), 0.0f), g2(net.num_params(), 0.0f);
  net.forward(x.data(), 1);
  net.backward(dy.data(), g1.data());
  net.backward(dy.data(), g2.data());
  net.backward(dy.data(), g2.data());
  for (size_t p = 0; p < g1.size(); ++p) CHECK(g2[p] == doctest::Approx(2 * g1[p]));
}

TEST_CASE("jvp equals the finite-difference directional derivative") {
  Mlp net({3, 32, 32, 2});
  Rng r(11);
  net.init(r);
  std::vector<float> x = {0.3f, -0.7f, 0.5f}, u = {1.0f, 0.0f, 0.0f}, y(2), ju(2);
  net.jvp(x.data(), u.data(), 1, y.data(), ju.data());
  const float* y0 = net.forward(x.data(), 1);
  CHECK(y[0] == doctest::Approx(y0[0]).epsilon(1e-5));
  const double h = 1e-2;
  std::vector<float> xp = x, xm = x;
  xp[0] += float(h);
  xm[0] -= float(h);
  const float* fp = net.forward(xp.data(), 1);
  const float yp[2] = {fp[0], fp[1]};
  const float* ym = net.forward(xm.data(), 1);
  for (int k = 0; k < 2; ++k) CHECK(ju[k] == doctest::Approx((yp[k] - ym[k]) / (2 * h)).epsilon(2e-3));
}

TEST_CASE("jvp over many rows and two directions: values as eval, tangents as finite differences") {
  // 203 rows: several row blocks with a ragged last one; both directions in one
  // call give the bits of one call per direction.
  const int n = 203;
  Mlp net({3, 24, 24, 2});
  Rng r(5);
  net.init(r);
  std::vector<float> x(3 * n), u(2 * 3 * n, 0.0f);
  for (auto& v : x) v = 2.0f * r.uniform() - 1.0f;
  for (int i = 0; i < n; ++i) {
    u[3 * i] = 1.0f;            // direction 0: ∂/∂x₀
    u[3 * (n + i) + 1] = 1.0f;  // direction 1: ∂/∂x₁
  }
  std::vector<float> y(2 * n), ju(2 * 2 * n), ye(2 * n), y1(2 * n), ju1(2 * n);
  net.jvp(x.data(), u.data(), n, y.data(), ju.data(), 2);
  net.eval(x.data(), n, ye.data());
  CHECK(y == ye);
  for (int d = 0; d < 2; ++d) {
    net.jvp(x.data(), u.data() + size_t(d) * 3 * n, n, y1.data(), ju1.data(), 1);
    CHECK(std::equal(ju1.begin(), ju1.end(), ju.begin() + size_t(d) * 2 * n));
  }
  const float h = 1e-2f;
  int bad = 0;
  for (int d = 0; d < 2; ++d) {
    std::vector<float> xp = x, xm = x, yp(2 * n), ym(2 * n);
    for (int i = 0; i < n; ++i) xp[3 * i + d] += h, xm[3 * i + d] -= h;
    net.eval(xp.data(), n, yp.data());
    net.eval(xm.data(), n, ym.data());
    for (int k = 0; k < 2 * n; ++k) {
      const double fd = (double(yp[k]) - ym[k]) / (2 * h), an = ju[size_t(d) * 2 * n + k];
      bad += std::fabs(an - fd) > 2e-3 * (1 + std::fabs(fd));
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("Adam step matches a hand computation") {
  // Two steps on p = [1, −2] with gradients [0.5, −0.1] then [0.2, 0.3].
  Adam adam;
  adam.reset(2);
  std::vector<float> p = {1.0f, -2.0f};
  const float g1[2] = {0.5f, -0.1f}, g2[2] = {0.2f, 0.3f};
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double ref[2] = {1.0, -2.0}, m[2] = {0, 0}, v[2] = {0, 0};
  const float* gs[2] = {g1, g2};
  for (int t = 1; t <= 2; ++t) {
    adam.step(p.data(), gs[t - 1], float(lr));
    for (int i = 0; i < 2; ++i) {
      const double g = gs[t - 1][i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double mh = m[i] / (1 - std::pow(b1, t)), vh = v[i] / (1 - std::pow(b2, t));
      ref[i] -= lr * mh / (std::sqrt(vh) + eps);
    }
    CHECK(p[0] == doctest::Approx(ref[0]).epsilon(1e-6));
    CHECK(p[1] == doctest::Approx(ref[1]).epsilon(1e-6));
  }
  // First Adam step moves each parameter by exactly lr against its gradient's sign.
  CHECK(ref[0] == doctest::Approx(1.0 - 0.1 -
                                  0.1 * (0.9 * 0.05 + 0.1 * 0.2) / 0.19 /
                                      std::sqrt((0.999 * 0.00025 + 0.001 * 0.04) / (1 - 0.998001)))
                      .epsilon(1e-6));
}

TEST_CASE("MLP forward equals an Eigen reference implementation") {
  // Reference: plain Eigen (scalar in wasm, fine for tests) over the same
  // flat parameters, h = silu(h·W + b) per hidden layer.
  Mlp net({3, 24, 24, 2});
  Rng r(17);
  net.init(r);
  const int n = 9;
  Eigen::MatrixXf x(n, 3);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) x(i, k) = r.normal();
  // Row-major copy for the Highway path.
  std::vector<float> xr(3 * n);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) xr[3 * i + k] = x(i, k);
  const float* y = net.forward(xr.data(), n);
  Eigen::MatrixXf h = x;
  for (int l = 0; l < net.num_layers(); ++l) {
    const int K = net.dims()[l], N = net.dims()[l + 1];
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> W(net.W(l), K, N);
    Eigen::Map<const Eigen::RowVectorXf> bias(net.b(l), N);
    Eigen::MatrixXf z = (h * W).rowwise() + bias;
    if (l + 1 < net.num_layers()) z = z.array() / (1.0f + (-z.array()).exp());
    h = z;
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 2; ++j) CHECK(y[2 * i + j] == doctest::Approx(h(i, j)).epsilon(1e-5));
}
