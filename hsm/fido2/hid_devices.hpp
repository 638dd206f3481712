// USB HID tokens through libfido2's own device discovery: the release
// helper's only device source.
#pragma once

#include "token_ops.hpp"

namespace dmp::hsm::fido2 {

class HidDevices final : public DeviceSource {
 public:
  std::vector<DeviceInfo> list() override;
  int open(fido_dev_t* dev, const std::string& path) override;
};

}  // namespace dmp::hsm::fido2
