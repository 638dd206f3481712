// The operations of dmp-sign-pkcs11 (pkcs11_protocol.hpp): list, keygen,
// pubkey and sign, each answering one request with one reply. The private
// key is created sensitive and non-extractable and is only ever used
// through C_Sign; no operation reads or returns it.
#pragma once

#include "dmp/hsm/helper_protocol.hpp"

namespace dmp::hsm::pkcs11 {

helper::Message handle_request(const helper::Message& request);

}  // namespace dmp::hsm::pkcs11
