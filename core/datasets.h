// 2D toy data of the two exercise sheets. Every draw takes the caller's Rng.
#pragma once
#include <vector>

#include "rng.h"

namespace flowlab {

// n × 2 standard normal samples (the source p of every flow here).
void sample_normal(Rng& rng, int n, float* x);

// FFJORD's checkerboard: x1 ~ U[-2,2), x2 = U[0,1) − 2k + (floor(x1) mod 2),
// k ∈ {0,1}, both ×2: 8 filled 2×2 squares in [−4,4)², density exactly 1/32.
void sample_checkerboard(Rng& rng, int n, float* x);
// Whether (x, y) lies on a filled square.
bool on_checkerboard(float x, float y);
// Index 0..7 of the filled square containing (x, y), or −1.
int checkerboard_cell(float x, float y);

// Olympic rings (seed 003): five rings of radius 1 centred at (0,0), (2,0),
// (4,0), (1,−1), (3,−1) — blue, black, red, yellow, green — points uniform in
// angle and in radius within [1 − thickness/2, 1 + thickness/2]. A fixed data
// set of n points; each axis is standardised (minus mean, over std).
// Sheet 003 §1.5: five points (x, y) in the rings' standardised coordinates,
// three on the rings and two off them, where both rings exercises (flow
// matching and RealNVP) evaluate their models.
inline constexpr int kSheetPointCount = 5;
inline constexpr float kSheetPoints[2 * kSheetPointCount] = {
    -0.68536588f, 1.04613213f, -0.83722729f, 1.48307046f, 0.71348099f, -0.03766172f, -1.44f, -1.44f, 1.8f, 1.8f};

struct Rings {
  static constexpr int kClasses = 5;
  static constexpr float kCentres[kClasses][2] = {{0, 0}, {2, 0}, {4, 0}, {1, -1}, {3, -1}};
  std::vector<float> x;    // n × 2, standardised
  std::vector<int> label;  // ring index of each point
  float mean[2] = {0, 0}, std[2] = {1, 1};
  float thickness = 0.2f;
  // Your own points (core/own_data.h), not rings: no ring geometry, no exact density.
  bool own = false;
  int size() const { return int(label.size()); }
  // mean and std of x's raw coordinates per axis (an axis with no spread keeps
  // std 1), then x standardised by them.
  void fit_standardisation();
  // Raw (unstandardised) coordinates → standardised, and back.
  void standardise(float* p) const;
  void unstandardise(float* p) const;
  // Ring nearest to a standardised point (by distance to the radius-1 circle).
  int nearest_ring(const float* p) const;
};
Rings make_rings(Rng& rng, int n, float thickness);
// Fisher–Yates shuffle of R's points (with their labels) by rng.
void shuffle_points(Rng& rng, Rings* R);
// Balanced classes: point i belongs to ring i mod 5, so a set of n points has
// exactly n/5 (±1) of each.
void sample_ring_points(Rng& rng, int n, float thickness, const int* labels, float* raw);

// Exact ln p of the rings' distribution at n standardised points (n × 2), in
// R's standardisation: an equal mixture of the five rings, each with density
// 1/(2π r·thickness) inside its radius band, so ln p = ln(Σ_c ·/5) + ln(std₀ std₁).
// −inf outside every ring.
void rings_log_density(const Rings& R, const float* y, int n, float* logp);
// Its entropy −E[ln p] (nats), the floor of any model's expected NLL on the
// standardised rings: Monte Carlo over n fresh points of a fixed seed.
// n fresh raw (unstandardised) ring points, class i mod 5, from a stream of
// their own (seed): the points rings_entropy and the NLL report average over.
std::vector<float> fresh_ring_points(const Rings& R, int n, uint64_t seed);
double rings_entropy(const Rings& R, int n = 300000, uint64_t seed = 1);

}  // namespace flowlab
