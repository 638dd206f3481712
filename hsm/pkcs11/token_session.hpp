// The PKCS#11 conversation below the operations: choose the one token a
// request names, open a session, log in, find the one Ed25519 key a request
// names and read its public key. Errors are values naming the URI attribute
// and the rule (wrong type, not found, ambiguous).
#pragma once

#include <p11-kit/pkcs11.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dmp/hsm/helper_protocol.hpp"
#include "dmp/result.hpp"

namespace dmp::hsm::pkcs11 {

using Bytes = std::vector<std::uint8_t>;

// Which token and which key: the URI's attributes, as dmp-sign sent them.
struct Selector {
  std::optional<std::string> token, manufacturer, serial, model;
  std::optional<std::string> object;
  std::optional<Bytes> id;
  std::string describe_key() const;  // "object=dmp id=01ab"
};
Result<Selector> read_selector(const helper::Message& request);

// A CK_TOKEN_INFO text field: blank padding removed, control bytes shown as '?'.
std::string token_text(const CK_UTF8CHAR* field, std::size_t size);
// Any text from the token, made safe for one tab-separated line.
std::string printable(std::string text);

Result<CK_SLOT_ID> select_token(CK_FUNCTION_LIST* f, const Selector& selector);

class Session {
 public:
  static Result<Session> open(CK_FUNCTION_LIST* f, CK_SLOT_ID slot, bool read_write);
  Session(Session&& other) noexcept;
  Session& operator=(Session&&) = delete;
  ~Session();
  CK_SESSION_HANDLE handle() const noexcept { return handle_; }
  // C_Login as the user; a wrong or locked PIN is an error here.
  Status login(std::span<const std::uint8_t> pin);

 private:
  Session(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE h) : f_(f), handle_(h) {}
  CK_FUNCTION_LIST* f_;
  CK_SESSION_HANDLE handle_;
  bool open_ = true;
};

Result<std::vector<CK_OBJECT_HANDLE>> find_objects(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   std::span<CK_ATTRIBUTE> templ);
// The attribute's value; nullopt when the object has no such (readable) attribute.
Result<std::optional<Bytes>> attribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                       CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);

struct KeyRef {
  CK_OBJECT_HANDLE handle = 0;
  Bytes id;
  std::string label;
};
// The one Ed25519 key of class `cls` (CKO_PUBLIC_KEY / CKO_PRIVATE_KEY)
// the selector names. A matching key of another type is key_format; none
// is token_unavailable; two or more is usage.
Result<KeyRef> find_ed25519_key(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const Selector& selector,
                                CK_OBJECT_CLASS cls);
// Every Ed25519 public key on the token (for list).
Result<std::vector<KeyRef>> all_ed25519_public_keys(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s);
// The 32 bytes of a public key object's CKA_EC_POINT.
Result<std::array<std::uint8_t, 32>> public_key_of(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                                   CK_OBJECT_HANDLE public_key);

}  // namespace dmp::hsm::pkcs11
