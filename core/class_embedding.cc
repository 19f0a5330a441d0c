#include "class_embedding.h"

#include "datasets.h"

namespace flowlab {

void ClassEmbedding::init(int n_classes, int n_dim, Rng& init) {
  classes = n_classes, dim = n_dim;
  // sample_normal draws pairs: one more slot than needed when classes·dim is odd.
  std::vector<float> z(size_t(classes) * dim + 1);
  sample_normal(init, int(z.size() / 2), z.data());
  e.assign(z.begin(), z.end() - 1);
  adam.reset(e.size());
}

void ClassEmbedding::accumulate(const float* dx, int width, int at, const int* c, int n, float* grad) const {
  for (int i = 0; i < n; ++i) {
    float* g = grad + size_t(class_of(c, i)) * dim;
    const float* dxi = dx + size_t(width) * i + at;
    for (int j = 0; j < dim; ++j) g[j] += dxi[j];
  }
}

}  // namespace flowlab
