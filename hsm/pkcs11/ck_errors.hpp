// PKCS#11 return values in the operator's terms: the reason (and so the
// exit code) and one line naming what failed.
#pragma once

#include <p11-kit/pkcs11.h>

#include <string>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::hsm::pkcs11 {

// "CKR_PIN_INCORRECT", or "CKR 0x...": for messages.
std::string ck_rv_name(CK_RV rv);

// The error for `rv` returned while `doing` ("C_Login", "sign"...):
// wrong PIN -> wrong_passphrase, locked PIN -> token_denied, no token ->
// token_unavailable, anything else -> token_unavailable with the CKR name.
Error ck_error(CK_RV rv, std::string_view doing);

}  // namespace dmp::hsm::pkcs11
