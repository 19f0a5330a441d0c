// Writes seed inputs for the fuzz corpora: valid links and checkpoints.
#include <fstream>

#include "config.h"
#include "flow_matching.h"

using namespace flowlab;

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string link_dir = argv[1], ck_dir = argv[2];
  Config c;
  std::ofstream(link_dir + "/default") << to_link(c);
  std::ofstream(link_dir + "/bad") << "v=2&hidden=-1&lr=nan&solver=%3Cx%3E&seed=1&seed=2&x=%";
  c.hidden = 8;
  c.depth = 1;
  c.batch = 4;
  FlowMatching m(c);
  m.train_step();
  m.train_step();
  std::ofstream(ck_dir + "/small", std::ios::binary) << m.save(to_link(c));
  return 0;
}
