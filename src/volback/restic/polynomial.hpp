#pragma once
// Polynomial: a polynomial over GF(2) of degree at most 63, as restic/chunker v0.4.0 represents
// it: bit i of the integer is the coefficient of x^i. Addition is XOR. A repository's
// `chunker_polynomial` is an irreducible polynomial of degree 53, written in its config as hex
// without "0x" (e.g. "2dddbe68ee5a55"); the chunker (chunker.hpp) computes Rabin fingerprints
// modulo it. docs: restic-format.md §9.2.
//
// The arithmetic functions are pure; a divisor or modulus of 0 is a bug (they would loop).

#include <cstdint>
#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::restic {

using Polynomial = std::uint64_t;

// The degree a repository's polynomial has.
inline constexpr int k_polynomial_degree = 53;

// The index of the highest set bit; -1 for the zero polynomial.
int polynomial_degree(Polynomial p);
// a·b. Precondition: deg(a) + deg(b) <= 63 (the product fits).
Polynomial polynomial_mul(Polynomial a, Polynomial b);
// The remainder of a divided by m (m != 0).
Polynomial polynomial_mod(Polynomial a, Polynomial m);
// a·b mod m (m != 0).
Polynomial polynomial_mulmod(Polynomial a, Polynomial b, Polynomial m);
// The greatest common divisor (gcd(a, 0) = a).
Polynomial polynomial_gcd(Polynomial a, Polynomial b);

// Ben-Or's test, as restic's Pol.Irreducible: f is irreducible iff gcd(f, x^(2^i) - x mod f) = 1
// for every i = 1 .. deg(f)/2. False for the constants 0 and 1 (restic says true for those; no
// repository has them).
bool is_irreducible(Polynomial f);

// A random irreducible polynomial of degree 53, drawn as `restic init` draws it: 8 random bytes as
// a little-endian integer, bits 0..53 kept, bits 53 and 0 set, retried until irreducible.
// Errors: permanent if the random source fails (or, practically never, after a million tries).
util::Result<Polynomial> random_polynomial();

// A config's `chunker_polynomial`: hex digits without "0x", either case. Errors: corrupt if it is
// not hex, its degree is not 53, or it is reducible.
util::Result<Polynomial> parse_polynomial(std::string_view hex);

// Lower-case hex without leading zeros or "0x", as restic writes it ("0" for 0).
std::string polynomial_hex(Polynomial p);

}  // namespace volback::restic
