// The statistics behind the 1D change-of-variables figures (cov1d.h): the
// order of an error in δt, the particles' histogram, its window, and its L1
// distance to the flow's density.
#include <algorithm>
#include <cmath>

#include "cov1d.h"

namespace flowlab {

double log_log_slope(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::array<double, 2>> p;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    const double a = std::log(x[i]), b = std::log(y[i]);
    if (std::isfinite(a) && std::isfinite(b)) p.push_back({a, b});
  }
  double mx = 0, my = 0, sxy = 0, sxx = 0;
  for (const auto& [a, b] : p) mx += a, my += b;
  mx /= double(p.size()), my /= double(p.size());
  for (const auto& [a, b] : p) sxy += (a - mx) * (b - my), sxx += (a - mx) * (a - mx);
  return sxy / sxx;
}

std::array<double, 2> histogram_window(std::vector<double> x) {
  if (x.empty()) return {0, 0};
  std::sort(x.begin(), x.end());
  const double n1 = double(x.size() - 1);
  const double lo = x[size_t(std::floor(0.002 * n1))], hi = x[size_t(std::ceil(0.998 * n1))];
  const double pad = 0.15 * (hi - lo);
  return {lo - pad, hi + pad};
}

double l1_distance(const std::vector<double>& h, const std::vector<double>& q, double width) {
  double s = 0;
  for (size_t i = 0; i < h.size() && i < q.size(); ++i) s += std::fabs(h[i] - q[i]);
  return s * width;
}

std::vector<double> histogram(const std::vector<double>& x, size_t offset, size_t n, double lo, double hi, int bins) {
  std::vector<double> h(std::max(1, bins), 0.0);
  const double w = (hi - lo) / h.size();
  for (size_t i = offset; i < offset + n && i < x.size(); ++i) {
    const double k = std::floor((x[i] - lo) / w);
    if (k >= 0 && k < double(h.size())) h[size_t(k)] += 1;
  }
  for (auto& c : h) c /= double(n) * w;
  return h;
}

}  // namespace flowlab
