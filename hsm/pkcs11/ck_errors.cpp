#include "ck_errors.hpp"

#include <cstdio>

namespace dmp::hsm::pkcs11 {

std::string ck_rv_name(CK_RV rv) {
  switch (rv) {
#define DMP_CKR(name) \
  case name:          \
    return #name;
    DMP_CKR(CKR_OK)
    DMP_CKR(CKR_GENERAL_ERROR)
    DMP_CKR(CKR_HOST_MEMORY)
    DMP_CKR(CKR_ARGUMENTS_BAD)
    DMP_CKR(CKR_ATTRIBUTE_VALUE_INVALID)
    DMP_CKR(CKR_ATTRIBUTE_TYPE_INVALID)
    DMP_CKR(CKR_DEVICE_ERROR)
    DMP_CKR(CKR_DEVICE_REMOVED)
    DMP_CKR(CKR_FUNCTION_FAILED)
    DMP_CKR(CKR_FUNCTION_NOT_SUPPORTED)
    DMP_CKR(CKR_KEY_TYPE_INCONSISTENT)
    DMP_CKR(CKR_KEY_FUNCTION_NOT_PERMITTED)
    DMP_CKR(CKR_MECHANISM_INVALID)
    DMP_CKR(CKR_MECHANISM_PARAM_INVALID)
    DMP_CKR(CKR_PIN_INCORRECT)
    DMP_CKR(CKR_PIN_INVALID)
    DMP_CKR(CKR_PIN_LEN_RANGE)
    DMP_CKR(CKR_PIN_EXPIRED)
    DMP_CKR(CKR_PIN_LOCKED)
    DMP_CKR(CKR_SESSION_HANDLE_INVALID)
    DMP_CKR(CKR_SLOT_ID_INVALID)
    DMP_CKR(CKR_TEMPLATE_INCOMPLETE)
    DMP_CKR(CKR_TEMPLATE_INCONSISTENT)
    DMP_CKR(CKR_TOKEN_NOT_PRESENT)
    DMP_CKR(CKR_TOKEN_NOT_RECOGNIZED)
    DMP_CKR(CKR_TOKEN_WRITE_PROTECTED)
    DMP_CKR(CKR_USER_NOT_LOGGED_IN)
    DMP_CKR(CKR_USER_PIN_NOT_INITIALIZED)
    DMP_CKR(CKR_DOMAIN_PARAMS_INVALID)
    DMP_CKR(CKR_CURVE_NOT_SUPPORTED)
    DMP_CKR(CKR_CRYPTOKI_NOT_INITIALIZED)
    DMP_CKR(CKR_CRYPTOKI_ALREADY_INITIALIZED)
    DMP_CKR(CKR_DATA_LEN_RANGE)
    DMP_CKR(CKR_BUFFER_TOO_SMALL)
#undef DMP_CKR
    default: {
      char text[32];
      std::snprintf(text, sizeof text, "CKR 0x%lx", static_cast<unsigned long>(rv));
      return text;
    }
  }
}

Error ck_error(CK_RV rv, std::string_view doing) {
  const std::string what = std::string(doing) + ": ";
  switch (rv) {
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
      return make_error(Reason::wrong_passphrase, "",
                        what + "PIN incorrect (" + ck_rv_name(rv) + ")");
    case CKR_PIN_LOCKED:
      return make_error(Reason::token_denied, "",
                        what +
                            "the token's user PIN is locked after too many wrong PINs; the "
                            "security officer must unlock it (CKR_PIN_LOCKED)");
    case CKR_PIN_EXPIRED:
      return make_error(Reason::token_denied, "",
                        what + "the token's PIN has expired; change it with the vendor's tool");
    case CKR_USER_PIN_NOT_INITIALIZED:
      return make_error(Reason::token_denied, "", what + "the token has no user PIN set");
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_DEVICE_REMOVED:
      return make_error(Reason::token_unavailable, "", what + "the token was removed");
    default:
      return make_error(Reason::token_unavailable, "", what + "token error: " + ck_rv_name(rv));
  }
}

}  // namespace dmp::hsm::pkcs11
