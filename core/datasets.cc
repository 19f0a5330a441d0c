#include "datasets.h"

#include <cmath>
#include <utility>

namespace flowlab {

void sample_normal(Rng& rng, int n, float* x) {
  for (int i = 0; i < 2 * n; ++i) x[i] = rng.normal();
}

void sample_checkerboard(Rng& rng, int n, float* x) {
  for (int i = 0; i < n; ++i) {
    const float x1 = rng.uniform() * 4.0f - 2.0f;
    const float k = float(rng.below(2));
    const float x2 = rng.uniform() - 2.0f * k + std::fmod(std::floor(x1) + 4.0f, 2.0f);
    x[2 * i] = 2.0f * x1;
    x[2 * i + 1] = 2.0f * x2;
  }
}

int checkerboard_cell(float x, float y) {
  const float u = std::floor(x / 2.0f), w = std::floor(y / 2.0f);
  if (!(u >= -2 && u <= 1 && w >= -2 && w <= 1)) return -1;  // also rejects NaN
  if ((int(u) + int(w)) % 2 != 0) return -1;
  // Columns u = −2..1 hold two filled squares each (rows w of the same parity).
  return int(u + 2) * 2 + (int(w + 2) >> 1);
}

bool on_checkerboard(float x, float y) { return checkerboard_cell(x, y) >= 0; }

constexpr float Rings::kCentres[Rings::kClasses][2];

void Rings::standardise(float* p) const {
  for (int k = 0; k < 2; ++k) p[k] = (p[k] - mean[k]) / std[k];
}
void Rings::unstandardise(float* p) const {
  for (int k = 0; k < 2; ++k) p[k] = p[k] * std[k] + mean[k];
}

int Rings::nearest_ring(const float* p) const {
  float raw[2] = {p[0], p[1]};
  unstandardise(raw);
  int best = 0;
  float best_d = INFINITY;
  for (int c = 0; c < kClasses; ++c) {
    const float d = std::fabs(std::hypot(raw[0] - kCentres[c][0], raw[1] - kCentres[c][1]) - 1.0f);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

void sample_ring_points(Rng& rng, int n, float thickness, const int* labels, float* raw) {
  for (int i = 0; i < n; ++i) {
    const int c = labels[i];
    const float theta = rng.uniform() * 6.2831853f;
    const float r = 1.0f + thickness * (rng.uniform() - 0.5f);
    raw[2 * i] = Rings::kCentres[c][0] + r * std::cos(theta);
    raw[2 * i + 1] = Rings::kCentres[c][1] + r * std::sin(theta);
  }
}

// ln p of the raw (unstandardised) mixture at (x0, x1). The band test has a
// 1e-6 slack so that float-drawn points on the band's edge count as inside.
static double rings_raw_log_density(double x0, double x1, double t) {
  const double lo = 1.0 - 0.5 * t - 1e-6, hi = 1.0 + 0.5 * t + 1e-6;
  double p = 0;
  for (int c = 0; c < Rings::kClasses; ++c) {
    const double r = std::hypot(x0 - Rings::kCentres[c][0], x1 - Rings::kCentres[c][1]);
    if (r >= lo && r <= hi) p += 1.0 / (2.0 * M_PI * r * t);
  }
  return p > 0 ? std::log(p / Rings::kClasses) : -INFINITY;
}

void rings_log_density(const Rings& R, const float* y, int n, float* logp) {
  const double log_jac = std::log(double(R.std[0])) + std::log(double(R.std[1]));
  for (int i = 0; i < n; ++i) {
    const double x0 = double(y[2 * i]) * R.std[0] + R.mean[0], x1 = double(y[2 * i + 1]) * R.std[1] + R.mean[1];
    logp[i] = float(rings_raw_log_density(x0, x1, R.thickness) + log_jac);
  }
}

std::vector<float> fresh_ring_points(const Rings& R, int n, uint64_t seed) {
  Rng rng(seed, 0x52494E47);  // "RING": a stream of its own
  std::vector<int> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = i % Rings::kClasses;
  std::vector<float> raw(2 * size_t(n));
  sample_ring_points(rng, n, R.thickness, labels.data(), raw.data());
  return raw;
}

double rings_entropy(const Rings& R, int n, uint64_t seed) {
  const std::vector<float> raw = fresh_ring_points(R, n, seed);
  // H(y) = H(x) − ln(std₀ std₁) for y = (x − mean)/std.
  double s = 0;
  for (int i = 0; i < n; ++i) s -= rings_raw_log_density(raw[2 * i], raw[2 * i + 1], R.thickness);
  return s / n - std::log(double(R.std[0])) - std::log(double(R.std[1]));
}

void shuffle_points(Rng& rng, Rings* R) {
  for (int i = R->size() - 1; i > 0; --i) {
    const int j = int(rng.below(uint32_t(i + 1)));
    std::swap(R->x[2 * size_t(i)], R->x[2 * size_t(j)]);
    std::swap(R->x[2 * size_t(i) + 1], R->x[2 * size_t(j) + 1]);
    std::swap(R->label[size_t(i)], R->label[size_t(j)]);
  }
}

Rings make_rings(Rng& rng, int n, float thickness) {
  Rings R;
  R.thickness = thickness;
  R.label.resize(n);
  for (int i = 0; i < n; ++i) R.label[i] = i % Rings::kClasses;
  R.x.resize(2 * size_t(n));
  sample_ring_points(rng, n, thickness, R.label.data(), R.x.data());
  R.fit_standardisation();
  return R;
}

void Rings::fit_standardisation() {
  const int n = size();
  for (int k = 0; k < 2; ++k) {
    double s = 0, ss = 0;
    for (int i = 0; i < n; ++i) s += x[2 * i + k];
    const double m = s / n;
    for (int i = 0; i < n; ++i) ss += (x[2 * i + k] - m) * (x[2 * i + k] - m);
    mean[k] = float(m);
    std[k] = ss > 0 ? float(std::sqrt(ss / n)) : 1.0f;
  }
  for (int i = 0; i < n; ++i) standardise(&x[2 * i]);
}

}  // namespace flowlab
