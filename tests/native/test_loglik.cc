// Exact log-likelihood by the instantaneous change of variables (core/loglik.h).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "flow_matching.h"
#include "loglik.h"
#include "small_options.h"
#include "train_loss.h"

using namespace flowlab;

namespace {
// dx/dt = A x + b, A = diag(a1, a2): x(1) = e^A x(0) + c, c_k = b_k (e^{a_k} − 1)/a_k,
// so p_1 is the Gaussian N(c, e^{2A}): ln p_1(x) = Σ_k ln N(x_k; c_k, e^{2a_k}).
const double a1 = -0.7, a2 = 0.4, b1 = 0.5, b2 = -0.3;
double exact_log_p1(double x, double y) {
  double lp = 0;
  for (auto [z, a, b] : {std::tuple{x, a1, b1}, std::tuple{y, a2, b2}}) {
    const double c = b * (std::exp(a) - 1) / a, sd = std::exp(a);
    lp += -0.5 * std::pow((z - c) / sd, 2) - std::log(sd) - 0.5 * std::log(2 * M_PI);
  }
  return lp;
}
void linear_field(const float* x, float, int n, float* v, float* div) {
  for (int i = 0; i < n; ++i) {
    v[2 * i] = float(a1 * x[2 * i] + b1);
    v[2 * i + 1] = float(a2 * x[2 * i + 1] + b2);
    div[i] = float(a1 + a2);
  }
}
}  // namespace

TEST_CASE(
    "ln p of a linear field matches the analytic Gaussian; error falls with the steps (order 1 Euler, 2 midpoint)") {
  const std::vector<float> x = {0.0f, 0.0f, 1.2f, -0.8f, -2.0f, 1.5f, 0.3f, 2.5f};
  double prev[2] = {0, 0};
  for (int steps : {25, 50, 100, 200}) {
    for (Solver s : {Solver::Euler, Solver::Midpoint}) {
      const std::vector<double> lp = log_density(linear_field, x.data(), 4, steps, s);
      double err = 0;
      for (int i = 0; i < 4; ++i) err = std::max(err, std::abs(lp[i] - exact_log_p1(x[2 * i], x[2 * i + 1])));
      const int k = s == Solver::Midpoint;
      MESSAGE(std::string(k ? "midpoint" : "Euler") << " " << steps << " steps: max |ln p − exact| = " << err);
      if (prev[k] > 0) CHECK(err < prev[k] * (k ? 0.35 : 0.6));  // halving the step: ÷4 (midpoint), ÷2 (Euler)
      prev[k] = err;
      if (k && steps == 200) CHECK(err < 1e-4);
    }
  }
}

TEST_CASE("ln p by RK4 (the density grid's solver): order 4, and 10 steps beat 40 midpoint steps") {
  const std::vector<float> x = {0.0f, 0.0f, 1.2f, -0.8f, -2.0f, 1.5f, 0.3f, 2.5f};
  auto max_err = [&](int steps, Solver s) {
    const std::vector<double> lp = log_density(linear_field, x.data(), 4, steps, s);
    double err = 0;
    for (int i = 0; i < 4; ++i) err = std::max(err, std::abs(lp[i] - exact_log_p1(x[2 * i], x[2 * i + 1])));
    return err;
  };
  const double e4 = max_err(4, Solver::Rk4), e8 = max_err(8, Solver::Rk4), e10 = max_err(10, Solver::Rk4);
  const double mid40 = max_err(40, Solver::Midpoint);
  MESSAGE("RK4 4 / 8 / 10 steps: " << e4 << " / " << e8 << " / " << e10 << "; midpoint 40: " << mid40);
  CHECK(e8 < e4 / 10);  // halving the step: ÷16 for order 4
  CHECK(e10 < mid40);
}

TEST_CASE("divergence of the MLP field: forward mode against central differences (with and without Fourier features)") {
  for (int octaves : {0, 3}) {
    CAPTURE(octaves);
    Config c = net_config(32, 3, Config{}.batch, 4);
    c.fourier = octaves;
    FlowMatching fm(c);
    REQUIRE(fm.net().in_dim() == 3 + 4 * octaves);
    train_steps(fm, 20);
    const std::vector<float> x = {0.3f, -0.7f, 1.5f, 2.0f, -2.2f, 0.1f};
    std::vector<float> v(6), div(3);
    fm.velocity_div(x.data(), 0.4f, 3, nullptr, v.data(), div.data());
    std::vector<float> v0(6);
    fm.velocity(x.data(), 0.4f, 3, v0.data());
    for (int k = 0; k < 6; ++k) CHECK(v[k] == doctest::Approx(v0[k]).epsilon(1e-5));
    const float eps = 1e-2f;
    for (int i = 0; i < 3; ++i) {
      double fd = 0;
      for (int d = 0; d < 2; ++d) {
        float xp[2] = {x[2 * i], x[2 * i + 1]}, xm[2] = {x[2 * i], x[2 * i + 1]}, vp[2], vm[2];
        xp[d] += eps, xm[d] -= eps;
        fm.velocity(xp, 0.4f, 1, vp);
        fm.velocity(xm, 0.4f, 1, vm);
        fd += (double(vp[d]) - vm[d]) / (2 * eps);
      }
      MESSAGE("div " << div[i] << " vs central differences " << fd);
      CHECK(div[i] == doctest::Approx(fd).epsilon(2e-3).scale(1));
    }
  }
}

TEST_CASE("the density of a trained checkerboard flow integrates to about 1 over [−5, 5]²") {
  Config c = net_config(64, 3, 512, 2);
  c.steps = 1500;
  FlowMatching fm(c);
  train_steps(fm, 1500);
  const DensityGrid g = density_grid(
      [&fm](const float* x, float t, int n, float* v, float* div) { fm.velocity_div(x, t, n, nullptr, v, div); }, 80,
      -5.0f, 5.0f, 40, Solver::Midpoint);
  double on = 0;  // mass on the filled squares
  const double cell = 10.0 / 80;
  for (int i = 0; i < 80; ++i)
    for (int j = 0; j < 80; ++j) {
      const float x = -5 + (j + 0.5f) * float(cell), y = -5 + (i + 0.5f) * float(cell);
      if (on_checkerboard(x, y)) on += std::exp(g.log_p[size_t(i) * 80 + j]) * cell * cell;
    }
  MESSAGE("∫ p over [−5, 5]² = " << g.integral << ", on the filled squares " << on);
  CHECK(std::abs(g.integral - 1) < 0.05);
  CHECK(on > 0.6);
}
