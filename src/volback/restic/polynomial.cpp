#include <volback/restic/polynomial.hpp>

#include <array>
#include <bit>
#include <utility>

#include <volback/crypto/primitives.hpp>

#include <volback/util/hex_digit.hpp>

namespace volback::restic {

namespace {

// restic gives up after this many draws; about one in 27 candidates is irreducible.
constexpr int k_random_polynomial_tries = 1'000'000;

}  // namespace

int polynomial_degree(Polynomial p) {
  return 63 - std::countl_zero(p);
}

Polynomial polynomial_mul(Polynomial a, Polynomial b) {
  Polynomial product = 0;
  for (; b != 0; b &= b - 1) {
    product ^= a << std::countr_zero(b);
  }
  return product;
}

Polynomial polynomial_mod(Polynomial a, Polynomial m) {
  const int m_degree = polynomial_degree(m);
  for (int shift = polynomial_degree(a) - m_degree; shift >= 0; shift = polynomial_degree(a) - m_degree) {
    a ^= m << shift;
  }
  return a;
}

Polynomial polynomial_mulmod(Polynomial a, Polynomial b, Polynomial m) {
  const int m_degree = polynomial_degree(m);
  if (m_degree == 0) {
    return 0;  // everything is 0 modulo 1
  }
  const Polynomial top = Polynomial{1} << m_degree;
  a = polynomial_mod(a, m);
  Polynomial product = 0;
  // Invariant: a = (the original a)·x^i mod m for the bit i of b being looked at; deg(a) < deg(m)
  // <= 63, so a << 1 does not overflow.
  for (; b != 0; b >>= 1) {
    if ((b & 1) != 0) {
      product ^= a;
    }
    a <<= 1;
    if ((a & top) != 0) {
      a ^= m;
    }
  }
  return product;
}

Polynomial polynomial_gcd(Polynomial a, Polynomial b) {
  while (b != 0) {
    a = polynomial_mod(a, b);
    std::swap(a, b);
  }
  return a;
}

bool is_irreducible(Polynomial f) {
  const int degree = polynomial_degree(f);
  if (degree < 1) {
    return false;
  }
  // power = x^(2^i) mod f, by repeated squaring starting from x.
  Polynomial power = polynomial_mod(2, f);
  for (int i = 1; i <= degree / 2; ++i) {
    power = polynomial_mulmod(power, power, f);
    if (polynomial_gcd(f, power ^ polynomial_mod(2, f)) != 1) {
      return false;
    }
  }
  return true;
}

util::Result<Polynomial> random_polynomial() {
  for (int attempt = 0; attempt < k_random_polynomial_tries; ++attempt) {
    std::array<unsigned char, 8> bytes{};
    VOLBACK_TRY(crypto::random_bytes(bytes));
    Polynomial candidate = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      candidate |= Polynomial{bytes[i]} << (8 * i);
    }
    candidate &= (Polynomial{1} << (k_polynomial_degree + 1)) - 1;
    candidate |= (Polynomial{1} << k_polynomial_degree) | 1;
    if (is_irreducible(candidate)) {
      return candidate;
    }
  }
  return util::fail(util::ErrorKind::permanent, "found no irreducible polynomial in a million random tries");
}

util::Result<Polynomial> parse_polynomial(std::string_view hex) {
  if (hex.empty()) {
    return util::fail(util::ErrorKind::corrupt, "chunker polynomial: not hex: empty");
  }
  Polynomial p = 0;
  for (const char c : hex) {
    const int digit = util::hex_digit_value(c);
    if (digit < 0) {
      return util::fail(util::ErrorKind::corrupt, "chunker polynomial: not hex: \"" + std::string(hex) + "\"");
    }
    if ((p >> 60) != 0) {
      return util::fail(util::ErrorKind::corrupt, "chunker polynomial: more than 64 bits: " + std::string(hex));
    }
    p = (p << 4) | static_cast<Polynomial>(digit);
  }
  const int degree = polynomial_degree(p);
  if (degree != k_polynomial_degree) {
    return util::fail(util::ErrorKind::corrupt,
                      "chunker polynomial " + std::string(hex) + " has degree " + std::to_string(degree) + ", not 53");
  }
  if (!is_irreducible(p)) {
    return util::fail(util::ErrorKind::corrupt, "chunker polynomial " + std::string(hex) + " is reducible");
  }
  return p;
}

std::string polynomial_hex(Polynomial p) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), k_digits[p & 0xf]);
    p >>= 4;
  } while (p != 0);
  return out;
}

}  // namespace volback::restic
