#include "crypto.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <cstdlib>

namespace dmp::soft_fido2 {
namespace {

// Allocation failures in test infrastructure are not worth a recovery path.
template <typename T>
T* must(T* p) {
  if (p == nullptr) std::abort();
  return p;
}
void must(int ok) {
  if (ok != 1) std::abort();
}

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

constexpr char kGroup[] = "prime256v1";

// Builds an EC key from OSSL parameters (public point, optional private scalar).
EVP_PKEY* ec_from_params(ByteView point, const BIGNUM* priv) {
  ParamBld bld(must(OSSL_PARAM_BLD_new()));
  must(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroup, 0));
  must(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()));
  if (priv != nullptr) must(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv));
  Params params(must(OSSL_PARAM_BLD_to_param(bld.get())));
  PkeyCtx ctx(must(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr)));
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1) {
    return nullptr;
  }
  return key;
}

}  // namespace

Bytes random_bytes(size_t n) {
  Bytes out(n);
  must(RAND_bytes(out.data(), static_cast<int>(n)));
  return out;
}

Bytes sha256(ByteView data) {
  Bytes out(32);
  must(EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha256(), nullptr));
  return out;
}

Bytes hmac_sha256(ByteView key, ByteView data) {
  Bytes out(32);
  unsigned int len = 0;
  must(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
            out.data(), &len));
  return out;
}

bool equal_ct(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Bytes> aes256_cbc(ByteView key, ByteView data, bool encrypt) {
  if (key.size() != 32 || data.size() % 16 != 0) return std::nullopt;
  const uint8_t iv[16] = {};
  CipherCtx ctx(must(EVP_CIPHER_CTX_new()));
  Bytes out(data.size() + 16);
  int len = 0;
  int tail = 0;
  must(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), iv, encrypt ? 1 : 0));
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  must(EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())));
  must(EVP_CipherFinal_ex(ctx.get(), out.data() + len, &tail));
  out.resize(static_cast<size_t>(len + tail));
  return out;
}

Bytes aes256_gcm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plain) {
  CipherCtx ctx(must(EVP_CIPHER_CTX_new()));
  Bytes out(plain.size() + 16);
  int len = 0;
  must(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()));
  must(EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())));
  must(
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, plain.data(), static_cast<int>(plain.size())));
  must(EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &len));
  must(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plain.size()));
  return out;
}

std::optional<Bytes> aes256_gcm_open(ByteView key, ByteView nonce, ByteView aad, ByteView sealed) {
  if (sealed.size() < 16) return std::nullopt;
  const size_t n = sealed.size() - 16;
  Bytes tag(sealed.begin() + static_cast<ptrdiff_t>(n), sealed.end());
  CipherCtx ctx(must(EVP_CIPHER_CTX_new()));
  Bytes out(n + 16);
  int len = 0;
  must(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()));
  must(EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())));
  must(EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data(), static_cast<int>(n)));
  must(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()));
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) != 1) return std::nullopt;
  out.resize(n);
  return out;
}

P256Key P256Key::generate() {
  return P256Key(must(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kGroup)));
}

std::optional<P256Key> P256Key::from_private(ByteView scalar) {
  if (scalar.size() != 32) return std::nullopt;
  // OpenSSL 3 does not derive the public point from fromdata(), so compute it.
  Group group(must(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)));
  Bignum priv(must(BN_bin2bn(scalar.data(), 32, nullptr)));
  Point point(must(EC_POINT_new(group.get())));
  if (BN_is_zero(priv.get()) ||
      EC_POINT_mul(group.get(), point.get(), priv.get(), nullptr, nullptr, nullptr) != 1) {
    return std::nullopt;
  }
  Bytes pub(65);
  if (EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(),
                         pub.size(), nullptr) != pub.size()) {
    return std::nullopt;
  }
  EVP_PKEY* key = ec_from_params(pub, priv.get());
  if (key == nullptr) return std::nullopt;
  return P256Key(key);
}

std::optional<P256Key> P256Key::from_public(ByteView x, ByteView y) {
  if (x.size() != 32 || y.size() != 32) return std::nullopt;
  Bytes pub{0x04};
  pub.insert(pub.end(), x.begin(), x.end());
  pub.insert(pub.end(), y.begin(), y.end());
  EVP_PKEY* key = ec_from_params(pub, nullptr);
  if (key == nullptr) return std::nullopt;
  // fromdata() does not check that the point is on the curve; ECDH must.
  PkeyCtx check(must(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)));
  if (EVP_PKEY_public_check(check.get()) != 1) {
    EVP_PKEY_free(key);
    return std::nullopt;
  }
  return P256Key(key);
}

Bytes P256Key::private_scalar() const {
  BIGNUM* raw = nullptr;
  must(EVP_PKEY_get_bn_param(key_.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw));
  Bignum bn(raw);
  Bytes out(32);
  must(BN_bn2binpad(bn.get(), out.data(), 32) == 32 ? 1 : 0);
  return out;
}

Bytes P256Key::public_point() const {
  Bytes out(65);
  size_t len = 0;
  must(EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(),
                                       &len));
  must(len == 65 && out[0] == 0x04 ? 1 : 0);
  return out;
}

Bytes P256Key::x() const {
  const Bytes p = public_point();
  return Bytes(p.begin() + 1, p.begin() + 33);
}

Bytes P256Key::y() const {
  const Bytes p = public_point();
  return Bytes(p.begin() + 33, p.end());
}

std::optional<Bytes> P256Key::ecdh_x(const P256Key& peer) const {
  PkeyCtx ctx(must(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr)));
  Bytes out(32);
  size_t len = out.size();
  if (EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.key_.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != 32) {
    return std::nullopt;
  }
  return out;
}

Bytes P256Key::sign(ByteView message) const {
  MdCtx ctx(must(EVP_MD_CTX_new()));
  must(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()));
  size_t len = 0;
  must(EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()));
  Bytes sig(len);
  must(EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()));
  sig.resize(len);
  return sig;
}

}  // namespace dmp::soft_fido2
