// Writes seed inputs for the fuzz corpora: valid links, and for every exercise
// a run file of its small model (tests/fuzz/models.h) in format 2 and 1,
// each prefixed by the byte that selects the exercise in fuzz_checkpoint.
#include <cstring>
#include <fstream>

#include "config.h"
#include "models.h"

using namespace flowlab;

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string link_dir = argv[1], ck_dir = argv[2];
  std::ofstream(link_dir + "/default") << to_link(Config());
  std::ofstream(link_dir + "/bad") << "v=2&hidden=-1&lr=nan&solver=%3Cx%3E&seed=1&seed=2&x=%";
  std::ofstream(link_dir + "/escapes") << "v=1&seed=1%26hidden%3D32&lambda=-0&ex=cov1d&mu0=%2D1e-400";
  const auto& ids = exercise_ids();
  for (size_t i = 0; i < ids.size(); ++i) {
    std::ofstream(link_dir + "/" + ids[i]) << fuzz_link(ids[i]);
    with_fuzz_model(ids[i], [&](auto& m) {
      fuzz_train(m);
      fuzz_train(m);
      const std::string v2 = m.save(fuzz_link(ids[i]));
      std::string v1 = v2.substr(0, v2.size() - 4);  // version 1: no checksum
      const uint32_t one = 1;
      std::memcpy(&v1[8], &one, 4);
      const char sel = char(i);
      std::ofstream(ck_dir + "/" + ids[i], std::ios::binary) << sel << v2;
      std::ofstream(ck_dir + "/" + ids[i] + "-v1", std::ios::binary) << sel << v1;
    });
  }
  return 0;
}
