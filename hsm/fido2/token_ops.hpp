// The token conversation of dmp-sign-fido2, over libfido2: list tokens,
// enroll (make a credential with hmac-secret, then assert it once), and
// unwrap (find which enrolled credential this token holds, then assert it
// with that slot's salt). Each function answers one request of
// fido2_protocol.hpp with a reply message; libfido2's errors become the
// reasons and one-line messages the operator sees.
#pragma once

#include <fido.h>

#include <string>
#include <vector>

#include "dmp/hsm/helper_protocol.hpp"

namespace dmp::hsm::fido2 {

struct DeviceInfo {
  std::string path;
  std::string product;
};

// Where tokens come from: USB HID in the real helper, software tokens in
// the test helper (tests/fido2). Kept behind this seam so that the release
// helper contains no way to reach a software token.
class DeviceSource {
 public:
  virtual ~DeviceSource() = default;
  virtual std::vector<DeviceInfo> list() = 0;
  // fido_dev_open(dev, path) or its equivalent; a FIDO_ERR_* code.
  virtual int open(fido_dev_t* dev, const std::string& path) = 0;
};

helper::Message handle_request(const helper::Message& request, DeviceSource& devices);

}  // namespace dmp::hsm::fido2
