// CRC-32C (Castagnoli, reflected), the checksum that ends a run file, for
// tests that damage a file and then re-seal it so that only the value checks
// can catch the damage.
const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; ++k) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
  return c >>> 0;
});

export function crc32c(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Rewrites the last four bytes of run file f with the CRC of the rest; returns f.
export function seal(f) {
  new DataView(f.buffer, f.byteOffset).setUint32(f.length - 4, crc32c(f.subarray(0, f.length - 4)), true);
  return f;
}
