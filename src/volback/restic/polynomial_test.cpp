#include <volback/restic/polynomial.hpp>

#include <cstdint>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

// Irreducibility by trial division by every polynomial of degree 1 .. deg(f)/2.
bool polynomial_test_irreducible_by_division(Polynomial f) {
  const int degree = polynomial_degree(f);
  if (degree < 1) {
    return false;
  }
  for (Polynomial d = 2; polynomial_degree(d) <= degree / 2; ++d) {
    if (polynomial_mod(f, d) == 0) {
      return false;
    }
  }
  return true;
}

// A random polynomial of exactly `degree`.
Polynomial polynomial_test_random(std::mt19937_64& rng, int degree) {
  const Polynomial top = Polynomial{1} << degree;
  return (rng() & (top - 1)) | top;
}

TEST(ResticPolynomial, Arithmetic) {
  EXPECT_EQ(polynomial_degree(0), -1);
  EXPECT_EQ(polynomial_degree(1), 0);
  EXPECT_EQ(polynomial_degree(0x2dddbe68ee5a55), 53);
  EXPECT_EQ(polynomial_degree(~Polynomial{0}), 63);
  // (x+1)^2 = x^2+1; (x^2+x+1)(x+1) = x^3+1.
  EXPECT_EQ(polynomial_mul(0b11, 0b11), 0b101u);
  EXPECT_EQ(polynomial_mul(0b111, 0b11), 0b1001u);
  EXPECT_EQ(polynomial_mod(0b1001, 0b111), 0u);
  EXPECT_EQ(polynomial_mod(0b1000, 0b111), 1u);
  EXPECT_EQ(polynomial_mod(0b10, 0b111), 0b10u);
  // The AES field GF(2^8) modulo x^8+x^4+x^3+x+1 (FIPS-197 §4.2).
  EXPECT_EQ(polynomial_mulmod(0x57, 0x83, 0x11b), 0xc1u);
  EXPECT_EQ(polynomial_mulmod(0x57, 0x13, 0x11b), 0xfeu);
  EXPECT_EQ(polynomial_gcd(polynomial_mul(0b111, 0b1011), polynomial_mul(0b111, 0b11)), 0b111u);
  EXPECT_EQ(polynomial_gcd(0b1011, 0), 0b1011u);
}

TEST(ResticPolynomial, MulModAgreesWithMulThenMod) {
  std::mt19937_64 rng(53);
  for (int i = 0; i < 200; ++i) {
    const Polynomial m = polynomial_test_random(rng, 53);
    const Polynomial a = polynomial_test_random(rng, 30);
    const Polynomial b = polynomial_test_random(rng, 33);
    EXPECT_EQ(polynomial_mulmod(a, b, m), polynomial_mod(polynomial_mul(a, b), m));
    EXPECT_EQ(polynomial_mulmod(b, a, m), polynomial_mod(polynomial_mul(a, b), m));
  }
}

TEST(ResticPolynomial, KnownIrreduciblePolynomials) {
  EXPECT_TRUE(is_irreducible(0x2dddbe68ee5a55));  // restic's tests and a repository made by restic
  EXPECT_TRUE(is_irreducible(0x3DA3358B4DC173));  // restic's tests
  EXPECT_TRUE(is_irreducible(0x11b));
  EXPECT_TRUE(is_irreducible(0b111));
  EXPECT_TRUE(is_irreducible(0b10));
  EXPECT_FALSE(is_irreducible(0b101));
  EXPECT_FALSE(is_irreducible(0));
  EXPECT_FALSE(is_irreducible(1));
}

TEST(ResticPolynomial, BenOrAgreesWithTrialDivision) {
  int irreducible_of_degree_10 = 0;
  for (Polynomial f = 2; f < (1u << 11); ++f) {
    ASSERT_EQ(is_irreducible(f), polynomial_test_irreducible_by_division(f)) << polynomial_hex(f);
    irreducible_of_degree_10 += polynomial_degree(f) == 10 && is_irreducible(f) ? 1 : 0;
  }
  EXPECT_EQ(irreducible_of_degree_10, 99);  // (2^10 - 2^5 - 2^2 + 2) / 10
}

TEST(ResticPolynomial, ProductsAreReducible) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const int degree = 1 + static_cast<int>(rng() % 52);
    const Polynomial a = polynomial_test_random(rng, degree);
    const Polynomial b = polynomial_test_random(rng, 53 - degree);
    const Polynomial product = polynomial_mul(a, b);
    ASSERT_EQ(polynomial_degree(product), 53);
    EXPECT_FALSE(is_irreducible(product)) << polynomial_hex(product);
    EXPECT_FALSE(parse_polynomial(polynomial_hex(product)));
  }
  EXPECT_FALSE(is_irreducible(polynomial_mul(0x2dddbe68ee5a55, 0b11)));
}

TEST(ResticPolynomial, RandomPolynomialsHaveDegree53AndAreIrreducible) {
  std::set<Polynomial> seen;
  for (int i = 0; i < 20; ++i) {
    const auto p = random_polynomial();
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(polynomial_degree(*p), 53);
    EXPECT_EQ(*p & 1, 1u);
    EXPECT_TRUE(is_irreducible(*p));
    EXPECT_EQ(parse_polynomial(polynomial_hex(*p)).value(), *p);
    seen.insert(*p);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(ResticPolynomial, ParsesConfigHex) {
  EXPECT_EQ(parse_polynomial("2dddbe68ee5a55").value(), 0x2dddbe68ee5a55u);
  EXPECT_EQ(parse_polynomial("3DA3358B4DC173").value(), 0x3DA3358B4DC173u);
  EXPECT_EQ(parse_polynomial("003da3358b4dc173").value(), 0x3DA3358B4DC173u);
  EXPECT_EQ(polynomial_hex(0x3DA3358B4DC173), "3da3358b4dc173");
  EXPECT_EQ(polynomial_hex(0x2dddbe68ee5a55), "2dddbe68ee5a55");
  EXPECT_EQ(polynomial_hex(0), "0");
  EXPECT_EQ(polynomial_hex(0x11b), "11b");
}

TEST(ResticPolynomial, RefusesWhatResticRefuses) {
  for (const char* text : {"", "0x2dddbe68ee5a55", "2dddbe68ee5a5g", " 2dddbe68ee5a55", "2dddbe68ee5a55 ", "-1"}) {
    const auto p = parse_polynomial(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().kind(), util::ErrorKind::corrupt);
    EXPECT_NE(p.error().message().find("not hex"), std::string::npos) << p.error().message();
  }
  for (const char* text : {"11b", "0", "1", "5bb77cd1dcb4aa", "ffffffffffffffff", "1ffffffffffffffff"}) {
    const auto p = parse_polynomial(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().kind(), util::ErrorKind::corrupt);
  }
  EXPECT_NE(parse_polynomial("11b").error().message().find("degree 8, not 53"), std::string::npos);
  const auto reducible = parse_polynomial(polynomial_hex(polynomial_mul(0x3DA3358B4DC173 >> 20 | 1, 0x100001)));
  ASSERT_FALSE(reducible);
  EXPECT_NE(reducible.error().message().find("reducible"), std::string::npos) << reducible.error().message();
}

}  // namespace
}  // namespace volback::restic
